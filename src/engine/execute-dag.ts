/**
 * Walks a plan's DAG in parallel: every operation runs as soon as all of its own
 * dependencies succeeded (no global barrier). A failed operation fails its dependents with
 * a message naming the chain; independent branches keep going. Optional waits that fail
 * only warn and count as done.
 */
import { BerthError, describe } from '../errors.js';
import type { Operation } from './plan-types.js';

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
  const started = new Set<string>();
  const limit = options.concurrency ?? Infinity;
  let running = 0;

  return new Promise<DagResult>((resolve) => {
    const finish = (): void => {
      if (running === 0 && started.size === ops.length) resolve({ failed, done });
    };
    const pump = (): void => {
      for (const op of ops) {
        if (started.has(op.id)) continue;
        const deps = op.deps.filter((d) => byId.has(d));
        const badDep = deps.find((d) => failed.has(d));
        if (badDep !== undefined) {
          started.add(op.id);
          failed.set(op.id, chainError(op, byId.get(badDep)!, failed.get(badDep)));
          continue;
        }
        if (!deps.every((d) => done.has(d))) continue;
        if (options.signal?.aborted) {
          started.add(op.id);
          failed.set(op.id, options.signal.reason ?? new BerthError('engine/aborted', 'aborted'));
          continue;
        }
        if (running >= limit) break;
        started.add(op.id);
        running++;
        run(op).then(
          () => {
            done.add(op.id);
          },
          (err: unknown) => {
            if (op.optional) {
              options.onWarning?.(`optional dependency ${op.target} did not become ${op.condition ?? 'ready'}: ${describe(err)}`, op);
              done.add(op.id);
            } else failed.set(op.id, err);
          },
        ).finally(() => {
          running--;
          pump();
          finish();
        });
      }
      // A failure may have cascaded to ops whose deps were all failing: loop until stable.
      if (ops.some((o) => !started.has(o.id) && o.deps.some((d) => failed.has(d)))) pump();
      finish();
    };
    pump();
  });
}

/** `service app: dependency db failed: container hello-db-1 is unhealthy`. */
function chainError(op: Operation, dep: Operation, cause: unknown): BerthError {
  if (cause instanceof BerthError && cause.code === 'engine/dependency-failed' && op.kind === dep.kind && op.target === dep.target) return cause;
  const who = op.service ? `service ${op.service}` : op.target;
  const what = dep.service && dep.service !== op.service ? `dependency ${dep.service} failed` : `${dep.kind} ${dep.target} failed`;
  const inner = cause instanceof BerthError && cause.code === 'engine/dependency-failed' ? cause.message : describe(cause);
  if (dep.service && dep.service === op.service) return cause instanceof BerthError ? cause : new BerthError('engine/dependency-failed', inner, { cause });
  return new BerthError('engine/dependency-failed', `${who}: ${what}: ${inner}`, { cause });
}
