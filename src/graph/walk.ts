/**
 * The parallel walker: every node starts as soon as its own prerequisites are done (no
 * level-by-level barrier). `up` visits dependencies first, `down` dependents first.
 * Per-edge conditions (service_healthy, ...) are awaited through `waitFor`. A failure
 * fails the nodes that need it, with the chain named; independent branches go on.
 */
import { BerthError, describe } from '../errors.js';
import type { DependencyGraph } from './graph.js';

export type WalkDirection = 'up' | 'down';

export interface WalkOptions {
  readonly direction: WalkDirection;
  /** The work for one node. */
  readonly visit: (node: string, signal: AbortSignal) => Promise<void>;
  /**
   * Called once per edge after `prerequisite` was visited, before `node` starts (for `up`:
   * node depends on prerequisite; for `down`: prerequisite depends on node). Reject to fail.
   */
  readonly waitFor?: (node: string, prerequisite: string, signal: AbortSignal) => Promise<void>;
  /** Only these nodes are visited (default: all); edges to others are ignored. */
  readonly only?: Iterable<string>;
  readonly signal?: AbortSignal;
  /** Maximum visits in flight (default unlimited). */
  readonly concurrency?: number;
}

export interface WalkFailure {
  readonly node: string;
  /** `['web', 'api', 'db']`: web needed api, which needed db, which failed. */
  readonly chain: readonly string[];
  readonly error: unknown;
}

export interface WalkReport {
  /** Completed nodes, in completion order. */
  readonly completed: readonly string[];
  /** Failed nodes (own failures and propagated ones), sorted by node. */
  readonly failed: readonly WalkFailure[];
}

/** A node could not run because something it needs failed. */
export class DependencyFailedError extends BerthError {
  readonly chain: readonly string[];
  constructor(chain: readonly string[], cause: unknown) {
    super('graph/dependency-failed', `${chain[0]}: ${chain.slice(1).length > 1 ? 'dependency chain' : 'dependency'} ${chain.join(' -> ')} failed: ${describe(cause)}`, { cause });
    this.name = 'DependencyFailedError';
    this.chain = chain;
  }
}

export class WalkError extends BerthError {
  readonly report: WalkReport;
  constructor(report: WalkReport) {
    const own = report.failed.filter((f) => !(f.error instanceof DependencyFailedError));
    const first = own[0] ?? report.failed[0]!;
    super('graph/walk-failed', `${report.failed.length} of ${report.failed.length + report.completed.length} failed: ${first.node}: ${describe(first.error)}`, {
      cause: first.error,
    });
    this.name = 'WalkError';
    this.report = report;
  }
}

/** Walks the graph; resolves with the report, rejects with WalkError (or the abort reason). */
export async function walkGraph(graph: DependencyGraph, options: WalkOptions): Promise<WalkReport> {
  const signal = options.signal ?? new AbortController().signal;
  const only = options.only ? new Set(options.only) : undefined;
  const nodes = graph.nodes.filter((n) => !only || only.has(n));
  const prerequisites = (n: string): readonly string[] => (options.direction === 'up' ? graph.dependenciesOf(n) : graph.dependentsOf(n)).filter((p) => !only || only.has(p));
  const limit = limiter(options.concurrency ?? Infinity);
  const completed: string[] = [];
  const failed: WalkFailure[] = [];
  const runs = new Map<string, Promise<void>>();

  const run = (node: string): Promise<void> => {
    const existing = runs.get(node);
    if (existing) return existing;
    const p = (async () => {
      try {
        await Promise.all(
          prerequisites(node).map(async (pre) => {
            try {
              await run(pre);
            } catch (err) {
              throw err instanceof DependencyFailedError ? new DependencyFailedError([node, ...err.chain], err.cause) : new DependencyFailedError([node, pre], err);
            }
            if (options.waitFor) {
              try {
                await options.waitFor(node, pre, signal);
              } catch (err) {
                if (signal.aborted) throw err;
                throw new DependencyFailedError([node, pre], err);
              }
            }
          }),
        );
        signal.throwIfAborted();
        await limit(() => {
          signal.throwIfAborted();
          return options.visit(node, signal);
        });
        completed.push(node);
      } catch (err) {
        failed.push({ node, chain: err instanceof DependencyFailedError ? err.chain : [node], error: err });
        throw err;
      }
    })();
    runs.set(node, p);
    return p;
  };
  await Promise.allSettled(nodes.map(run));
  if (signal.aborted) throw signal.reason;
  const report: WalkReport = { completed, failed: failed.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)) };
  if (failed.length > 0) throw new WalkError(report);
  return report;
}

function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
