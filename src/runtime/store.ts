// The container's records on disk: config.json (what was asked + derived decisions),
// state.json (pids, times), exit.json (written by the shim). Any process can read them.
import type { ContainerConfig } from './types.js';
import { hasFields, readJsonFile, writeJsonFile } from '../util/json-file.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

export interface StoredContainer {
  readonly config: ContainerConfig;
  readonly caps: readonly string[];
  readonly env: readonly string[];
  readonly cloneFlags: number;
  readonly cgroupRoot: string;
  readonly createdAt: string;
  /** `userns: auto`: the lease file of the id block (released on delete). */
  readonly usernsLease?: string;
}

export interface StoredState {
  readonly pid: number;
  /** /proc/<pid>/stat starttime, to tell the container from a reused pid. */
  readonly pidStart: string;
  readonly shimPid: number;
  readonly startedAt?: string;
}

export interface StoredExit {
  readonly exitCode: number;
  readonly signal: number;
  readonly oomKilled: boolean;
  readonly finishedAt: string;
}

/** Atomic JSON write (util/json-file.ts); 0600: a container's config holds its environment. */
export function writeJson(path: string, value: StoredContainer | StoredState): void {
  writeJsonFile(path, value, { mode: 0o600, indent: 2 });
}

const isStoredContainer = (v: unknown): v is StoredContainer => hasFields(v, { config: 'object', caps: 'object', env: 'object', cloneFlags: 'number', createdAt: 'string' });
const isStoredState = (v: unknown): v is StoredState => hasFields(v, { pid: 'number', pidStart: 'string', shimPid: 'number', startedAt: 'string?' });
const isStoredExit = (v: unknown): v is StoredExit => hasFields(v, { exitCode: 'number', signal: 'number', oomKilled: 'boolean', finishedAt: 'string' });

/** config.json, state.json, exit.json: undefined when absent, `runtime/state-corrupt` when unreadable. */
export const readStoredConfig = (path: string): StoredContainer | undefined => readJsonFile(path, isStoredContainer, 'runtime/state-corrupt');
export const readStoredState = (path: string): StoredState | undefined => readJsonFile(path, isStoredState, 'runtime/state-corrupt');
export const readStoredExit = (path: string): StoredExit | undefined => readJsonFile(path, isStoredExit, 'runtime/state-corrupt');

/** The fields of /proc/<pid>/stat after the command name (state first), or undefined when the process is gone. */
function procStatFields(pid: number): string[] | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone. */
export function pidStartTime(pid: number): string | undefined {
  return procStatFields(pid)?.[19];
}

/**
 * Whether the container's shim still runs: its pid is not a zombie, nor a process started
 * after the container's init (a reused pid).
 */
export function shimRunning(state: StoredState): boolean {
  const fields = procStatFields(state.shimPid ?? 0);
  if (!fields || fields[0] === 'Z') return false;
  return !state.pidStart || Number(fields[19]) <= Number(state.pidStart);
}

export function isAlive(state: StoredState | undefined): boolean {
  return state !== undefined && state.pid > 0 && pidStartTime(state.pid) === state.pidStart;
}
