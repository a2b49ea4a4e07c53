/**
 * Walks a plan's DAG with src/graph's parallel walker: every operation runs as soon as all
 * of its own dependencies succeeded (no global barrier). A failed operation fails its
 * dependents with a message naming the chain of services; independent branches keep going.
 * Optional waits (`required: false`) that fail only warn and count as done.
 */
import { BerthError, describe } from '../errors.js';
import { buildGraph, walkGraph, WalkError, DependencyFailedError } from '../graph/index.js';
import type { Operation } from './plan-types.js';
import { describeOp } from './plan-text.js';
import { trace } from '../util/trace.js';

/** Told when each operation starts and when it has succeeded (tests check this trace against the plan). */
export type OperationHook = (op: Operation, phase: 'start' | 'done') => void;

/** Runs one operation with its trace marks (`BERTH_TRACE=1`: `op <description>` and `... done`). */
async function runTraced<T extends Operation>(op: T, run: (op: T) => Promise<void>, hook: OperationHook | undefined): Promise<void> {
  trace(`op ${describeOp(op)}`);
  hook?.(op, 'start');
  await run(op);
  trace(`op ${describeOp(op)} done`);
  hook?.(op, 'done');
}

/**
 * Starts `ops` at once, each as soon as its own dependencies (among `ops`) succeeded, and
 * returns a promise per operation: the head of a plan that may begin before the rest of it
 * is drawn (up's networks, while images resolve). `executeDag` over the whole plan with
 * these as `running` awaits them instead of running them again.
 */
export function startOperations<T extends Operation>(ops: readonly T[], run: (op: T) => Promise<void>, hook?: OperationHook): Map<string, Promise<void>> {
  const started = new Map<string, Promise<void>>();
  const start = (op: T): Promise<void> => {
    let p = started.get(op.id);
    if (p) return p;
    const deps = op.deps.flatMap((d) => {
      const dep = ops.find((o) => o.id === d);
      return dep ? [start(dep)] : [];
    });
    p = Promise.all(deps).then(() => runTraced(op, run, hook));
    p.catch(() => undefined); // reported where the plan's walk awaits it
    started.set(op.id, p);
    return p;
  };
  for (const op of ops) void start(op); // each one's failure is caught above
  return started;
}

export interface DagResult {
  readonly failed: ReadonlyMap<string, unknown>;
  readonly done: ReadonlySet<string>;
}

export interface DagOptions {
  readonly signal?: AbortSignal;
  readonly onWarning?: (message: string, op: Operation) => void;
  /** Maximum operations running at once (default unlimited: kernel work is mostly I/O). */
  readonly concurrency?: number;
  /** Operations already running (startOperations): awaited in their place in the walk, not run again. */
  readonly running?: ReadonlyMap<string, Promise<void>>;
  readonly onOperation?: OperationHook;
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
        try {
          await (options.running?.get(id) ?? runTraced(op, run, options.onOperation));
        } catch (err) {
          if (op.kind !== 'wait' || !op.optional) throw err;
          options.onWarning?.(`optional dependency ${op.target} did not become ${op.condition}: ${describe(err)}`, op);
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
