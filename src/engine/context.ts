import type { EngineEvent, EventSink } from '../api/index.js';
import type { EnginePaths } from './paths.js';
import type { EnginePorts } from './ports.js';
import type { OperationHook } from './execute-dag.js';
import type { Clock } from '../util/clock.js';

/** What every engine step receives: the seams, the roots, where events go, a clock. */
export interface EngineContext {
  readonly ports: EnginePorts;
  readonly paths: EnginePaths;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly emit: EventSink;
  readonly now: () => number;
  /** Waits on the same clock as `now` (the supervisor's restarts, backoff and probes). */
  readonly sleep: Clock['sleep'];
  /** Told when each plan operation starts and succeeds (tests compare the trace with the printed plan). */
  readonly onOperation?: OperationHook;
  /** `--parallel` / COMPOSE_PARALLEL_LIMIT: operations of a plan running at once (undefined: no limit). */
  readonly parallel?: number;
}

/** A plan walk's concurrency option from the context. */
export function concurrencyOf(ctx: EngineContext): { concurrency?: number } {
  return ctx.parallel !== undefined && ctx.parallel > 0 ? { concurrency: ctx.parallel } : {};
}

type WithoutTime<T> = T extends EngineEvent ? Omit<T, 'time'> : never;

/** Emits an event with the time filled in. */
export function emit(ctx: EngineContext, event: WithoutTime<EngineEvent>): void {
  ctx.emit({ ...event, time: ctx.now() } as EngineEvent);
}

export function withSink(ctx: EngineContext, sink: EventSink | undefined): EngineContext {
  if (!sink) return ctx;
  return { ...ctx, emit: sink };
}
