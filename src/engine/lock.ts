/**
 * The project lock: one file under $BERTH_ROOT/projects/<name>/lock holding the owner's pid
 * and start time (src/util/lock-file.ts). A lock whose owner is gone (crash, SIGKILL) is
 * taken over; a live owner makes us wait (bounded) and then fail clearly.
 */
import { BerthError } from '../errors.js';
import { acquireLockFile } from '../util/lock-file.js';
const { mkdirSync, rmdirSync } = process.getBuiltinModule('node:fs');

export { isAlive, processStartTime } from '../util/lock-file.js';
const { join } = process.getBuiltinModule('node:path');

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

export async function lockProject(dir: string, project: string, options: LockOptions = {}): Promise<ProjectLock> {
  mkdirSync(dir, { recursive: true });
  const lock = await acquireLockFile(join(dir, 'lock'), {
    timeoutMs: options.timeoutMs ?? 60_000,
    pollMs: 50,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onWait ? { onWait: (owner: { pid: number }) => options.onWait?.(owner.pid) } : {}),
    ownPidIsStale: true, // a lock this process left behind is ours to take over
    timeoutError: (owner) =>
      new BerthError('engine/locked', `project ${project} is being changed by another berth process (pid ${owner?.pid ?? 'unknown'})`, {
        hint: 'wait for it to finish, or stop it',
      }),
    ioError: (cause) => new BerthError('engine/lock', `project ${project}: cannot create lock ${join(dir, 'lock')}`, { cause }),
  });
  let released = false;
  return {
    path: lock.path,
    release() {
      if (released) return;
      released = true;
      lock.release();
      try {
        rmdirSync(dir); // only when nothing else is recorded for the project
      } catch {
        // not empty: the project has state
      }
    },
  };
}
