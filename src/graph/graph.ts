/**
 * A dependency graph over named nodes (services): `from` depends on `to`.
 * Ordering uses `toposort`; cycles are reported with the whole cycle named.
 */
import toposort from 'toposort';
import { BerthError } from '../errors.js';
import { findCycle } from '../util/find-cycle.js';

export interface DependencyGraph {
  /** All nodes, sorted. */
  readonly nodes: readonly string[];
  /** What `node` depends on (sorted). */
  dependenciesOf(node: string): readonly string[];
  /** What depends on `node` (sorted). */
  dependentsOf(node: string): readonly string[];
}

export class GraphCycleError extends BerthError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super('graph/cycle', `dependency cycle detected: ${cycle.join(' -> ')}`);
    this.name = 'GraphCycleError';
    this.cycle = cycle;
  }
}

/** Builds a graph; edges to unknown nodes are an error (`graph/unknown-node`). Throws on cycles. */
export function buildGraph(nodes: Iterable<string>, edges: Iterable<readonly [from: string, to: string]>): DependencyGraph {
  const all = [...new Set(nodes)].sort();
  const deps = new Map<string, Set<string>>(all.map((n) => [n, new Set()]));
  const dependents = new Map<string, Set<string>>(all.map((n) => [n, new Set()]));
  for (const [from, to] of edges) {
    if (!deps.has(from) || !deps.has(to)) {
      throw new BerthError('graph/unknown-node', `dependency ${from} -> ${to} names an unknown node ${deps.has(from) ? to : from}`);
    }
    deps.get(from)!.add(to);
    dependents.get(to)!.add(from);
  }
  const sorted = (m: Map<string, Set<string>>): Map<string, readonly string[]> => new Map([...m].map(([k, v]) => [k, [...v].sort()]));
  const depList = sorted(deps);
  const dependentList = sorted(dependents);
  const cycle = findCycle(depList);
  if (cycle) throw new GraphCycleError(cycle);
  return {
    nodes: all,
    dependenciesOf: (n) => depList.get(n) ?? [],
    dependentsOf: (n) => dependentList.get(n) ?? [],
  };
}

/** Builds the service graph of a project-like value (`depends_on` keys are the edges). */
export function serviceGraph(services: Readonly<Record<string, { readonly depends_on?: Readonly<Record<string, unknown>> }>>): DependencyGraph {
  const names = Object.keys(services);
  const edges: [string, string][] = [];
  for (const n of names) for (const d of Object.keys(services[n]!.depends_on ?? {})) if (d in services) edges.push([n, d]);
  return buildGraph(names, edges);
}

/** Dependencies first (the order `up` creates things); ties broken by name. */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const edges: [string, string][] = [];
  for (const n of graph.nodes) for (const d of graph.dependenciesOf(n)) edges.push([d, n]);
  return toposort.array([...graph.nodes], edges);
}
