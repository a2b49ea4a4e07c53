// The container's records on disk: config.json (what was asked + derived decisions),
// state.json (pids, times), exit.json (written by the shim). Any process can read them.
import type { ContainerConfig } from './types.js';
const { readFileSync, renameSync, writeFileSync } = process.getBuiltinModule('node:fs');

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

/** Atomic JSON write; 0600: a container's config holds its environment. */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone. */
export function pidStartTime(pid: number): string | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

export function isAlive(state: StoredState | undefined): boolean {
  return state !== undefined && state.pid > 0 && pidStartTime(state.pid) === state.pidStart;
}
