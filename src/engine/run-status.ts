/**
 * The supervisor's per-container status (state-store's ContainerStatusRecord) with the
 * fields the restart logic adds: the error of a failed restart (the container is kept,
 * exited, as Docker keeps it) and the times of recent restarts (`restart_policy.window`).
 */
import type { ContainerStatusRecord, StateStore } from './state-store.js';

export interface RunStatus extends ContainerStatusRecord {
  /** Why the last (re)start failed; the container stays, shown exited (128) until started again. */
  readonly lastError?: string;
  /** When the supervisor restarted it (ms since epoch), newest last; for `restart_policy.window`. */
  readonly restartTimes?: readonly number[];
  /** Restarts asked for by the user (`restart`, the dashboard's `r`); policy restarts are `restarts`. */
  readonly userRestarts?: number;
}

/** Docker's exit code for a container whose start failed. */
export const START_FAILED_EXIT = 128;

export function readRunStatus(store: StateStore, name: string): RunStatus | undefined {
  return store.readStatus(name) as RunStatus | undefined;
}

export function writeRunStatus(store: StateStore, name: string, status: RunStatus): void {
  store.writeStatus(name, status);
}

/** Records a failed (re)start: the container stays, with the error. */
export function recordStartFailure(store: StateStore, name: string, message: string): void {
  const prev = readRunStatus(store, name) ?? { restarts: 0 };
  const { restartingUntil: _r, ...rest } = prev;
  writeRunStatus(store, name, { ...rest, lastExit: START_FAILED_EXIT, lastError: message });
}

/** A successful start clears the error of an earlier failed one. */
export function clearStartFailure(store: StateStore, name: string): void {
  const prev = readRunStatus(store, name);
  if (prev?.lastError === undefined) return;
  const { lastError: _e, ...rest } = prev;
  writeRunStatus(store, name, rest);
}

/** A start by the user begins a new count (Docker resets RestartCount on `start`); health stays. */
export function resetRestartCount(store: StateStore, name: string): void {
  const prev = readRunStatus(store, name);
  if (!prev) return;
  const { gaveUp: _g, restartTimes: _t, lastError: _e, ...rest } = prev;
  writeRunStatus(store, name, { ...rest, restarts: 0 });
}
