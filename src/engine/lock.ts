/**
 * The project lock: one file under $BERTH_ROOT/projects/<name>/lock, created exclusively
 * and holding the owner's pid and start time. A lock whose owner is gone (crash, SIGKILL)
 * is taken over; a live owner makes us wait (bounded) and then fail clearly.
 */
import { emptyLockIsStale } from '../util/lock-file.js';
import { join } from 'node:path';
import { BerthError, errnoCode } from '../errors.js';
const { openSync, writeSync, closeSync, readFileSync, rmSync, mkdirSync, rmdirSync } = process.getBuiltinModule('node:fs');

export interface ProjectLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  /** How long to wait for a live owner (default 60 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called once when we start waiting (the CLI can say "waiting for pid N"). */
  readonly onWait?: (ownerPid: number) => void;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/pid/stat). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and is the same process that wrote `startTime`. */
export function isAlive(pid: number, startTime?: string): boolean {
  const now = processStartTime(pid);
  return now !== undefined && (startTime === undefined || startTime === now);
}

export async function lockProject(dir: string, project: string, options: LockOptions = {}): Promise<ProjectLock> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'lock');
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${processStartTime(process.pid) ?? ''}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
          try {
            rmdirSync(dir); // only when nothing else is recorded for the project
          } catch {
            // not empty: the project has state
          }
        },
      };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        // another process removed the (empty) project dir with its lock just now
        mkdirSync(dir, { recursive: true });
        continue;
      }
      if (errnoCode(err) !== 'EEXIST') throw new BerthError('engine/lock', `project ${project}: cannot create lock ${path}`, { cause: err });
    }
    const owner = readOwner(path);
    if (owner === undefined ? emptyLockIsStale(path) : !isAlive(owner.pid, owner.startTime) || owner.pid === process.pid) {
      // stale: its owner died; remove and retry (exclusive create settles any race)
      rmSync(path, { force: true });
      continue;
    }
    if (!told && owner) {
      options.onWait?.(owner.pid);
      told = true;
    }
    if (Date.now() > deadline) {
      throw new BerthError('engine/locked', `project ${project} is being changed by another berth process (pid ${owner?.pid ?? 'unknown'})`, {
        hint: 'wait for it to finish, or stop it',
      });
    }
    if (options.signal?.aborted) throw options.signal.reason;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readOwner(path: string): { pid: number; startTime: string | undefined } | undefined {
  try {
    const [pid, start] = readFileSync(path, 'utf8').trim().split(' ');
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, startTime: start || undefined } : undefined;
  } catch {
    return undefined;
  }
}
