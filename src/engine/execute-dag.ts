/**
 * Walks a plan's DAG with src/graph's parallel walker: every operation runs as soon as all
 * of its own dependencies succeeded (no global barrier). A failed operation fails its
 * dependents with a message naming the chain of services; independent branches keep going.
 * Optional waits (`required: false`) that fail only warn and count as done.
 */
import { BerthError, describe } from '../errors.js';
import { buildGraph, walkGraph, WalkError, DependencyFailedError } from '../graph/index.js';
import type { Operation } from './plan-types.js';
import { trace } from '../util/trace.js';

export interface DagResult {
  readonly failed: ReadonlyMap<string, unknown>;
  readonly done: ReadonlySet<string>;
}

export interface DagOptions {
  readonly signal?: AbortSignal;
  readonly onWarning?: (message: string, op: Operation) => void;
  /** Maximum operations running at once (default unlimited: kernel work is mostly I/O). */
  readonly concurrency?: number;
}

export async function executeDag(ops: readonly Operation[], run: (op: Operation) => Promise<void>, options: DagOptions = {}): Promise<DagResult> {
  const byId = new Map(ops.map((o) => [o.id, o]));
  const done = new Set<string>();
  const failed = new Map<string, unknown>();
  const graph = buildGraph(
    ops.map((o) => o.id),
    ops.flatMap((o) => o.deps.filter((d) => byId.has(d)).map((d) => [o.id, d] as const)),
  );
  try {
    await walkGraph(graph, {
      direction: 'up',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      visit: async (id) => {
        const op = byId.get(id)!;
        trace(`op ${id}`);
        try {
          await run(op);
          trace(`op ${id} done`);
        } catch (err) {
          if (!op.optional) throw err;
          options.onWarning?.(`optional dependency ${op.target} did not become ${op.condition ?? 'ready'}: ${describe(err)}`, op);
        }
        done.add(id);
      },
    });
  } catch (err) {
    if (err instanceof WalkError) {
      for (const f of err.report.failed) failed.set(f.node, chainError(byId, f.chain, f.error));
    } else {
      // aborted: everything not done counts as failed with the abort reason
      for (const o of ops) if (!done.has(o.id)) failed.set(o.id, err);
    }
  }
  return { failed, done };
}

/** `service front: dependency api -> db failed: container app-db-1 is unhealthy`. */
function chainError(byId: ReadonlyMap<string, Operation>, chain: readonly string[], error: unknown): unknown {
  let root: unknown = error;
  while (root instanceof DependencyFailedError) root = root.cause;
  if (chain.length <= 1) return root;
  const services: string[] = [];
  for (const id of chain) {
    const s = byId.get(id)?.service ?? byId.get(id)?.target ?? id;
    if (services[services.length - 1] !== s) services.push(s);
  }
  if (services.length <= 1) return root;
  const [who, ...deps] = services;
  return new BerthError('engine/dependency-failed', `service ${who}: dependency ${deps.join(' -> ')} failed: ${describe(root)}`, { cause: root });
}
