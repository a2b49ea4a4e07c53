/**
 * The one cross-process lock file of berth (project, network and image-store locks).
 *
 * The owner line `<pid> <start time>\n` is written right after the exclusive create. A
 * lock is stale when its owner is gone (the pid no longer runs, or runs with another start
 * time: a recycled pid is not the owner). An empty lock (one being written this instant, or
 * left by a crash between the create and the write) is stale only once it is older than
 * EMPTY_LOCK_GRACE_MS: a second process never takes over a lock that is being written. A stale lock is broken by renaming it aside and checking
 * that what was moved is the very file judged stale, so two waiters cannot both break it
 * and then remove each other's fresh lock.
 */
import { errnoCode } from '../errors.js';
import { systemClock, type Clock } from './clock.js';
const { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } = process.getBuiltinModule('node:fs');
const { randomBytes } = process.getBuiltinModule('node:crypto');
const { dirname } = process.getBuiltinModule('node:path');

/** An empty lock younger than this is being written right now and is waited for. */
export const EMPTY_LOCK_GRACE_MS = 2000;

export interface LockOwner {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat; undefined when the writer did not record it. */
  readonly startTime: string | undefined;
}

export interface LockFileOptions {
  /** How long to wait for a live owner; 0 = fail after one look (default 60 s). */
  readonly timeoutMs?: number;
  /** Pause between looks (a function for jitter; default 50 ms). */
  readonly pollMs?: number | (() => number);
  readonly signal?: AbortSignal;
  /** Called once, the first time a live owner makes us wait. */
  readonly onWait?: (owner: LockOwner) => void;
  /** Our own pid in the file counts as stale (a lock left by this process is taken over). */
  readonly ownPidIsStale?: boolean;
  /** The error thrown when the wait times out (owner undefined: the lock is empty). */
  readonly timeoutError: (owner: LockOwner | undefined) => Error;
  /** Wraps an unexpected filesystem error (default: thrown as is). */
  readonly ioError?: (cause: unknown) => Error;
  /** The time the waits, the deadline and an empty lock's age are measured on (tests: a fake). */
  readonly clock?: Clock;
}

export interface LockFile {
  readonly path: string;
  /** Removes the lock (idempotent). */
  release(): void;
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

let ownLine: string | undefined;

/** The owner line this process writes (read once: a process keeps its start time). */
export function ownerLine(): string {
  ownLine ??= `${process.pid} ${processStartTime(process.pid) ?? ''}\n`;
  return ownLine;
}

/** Parses an owner line (`<pid>` alone, as older berths wrote, is accepted). */
export function parseOwner(text: string): LockOwner | undefined {
  const [pid, start] = text.trim().split(/\s+/);
  const n = Number(pid);
  return pid && Number.isInteger(n) && n > 0 ? { pid: n, startTime: start || undefined } : undefined;
}

interface Seen {
  readonly ino: number;
  readonly text: string;
  readonly owner: LockOwner | undefined;
  readonly stale: boolean;
}

/** One look at the lock file; undefined when it is gone. */
function look(path: string, ownPidIsStale: boolean, now: number): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const text = readFileSync(fd, 'utf8');
    const owner = parseOwner(text);
    const stale =
      owner === undefined
        ? now - st.mtimeMs > EMPTY_LOCK_GRACE_MS // empty (or unreadable): stale only past the grace period
        : (ownPidIsStale && owner.pid === process.pid) || !isAlive(owner.pid, owner.startTime);
    return { ino: st.ino, text, owner, stale };
  } finally {
    closeSync(fd);
  }
}

/** Moves a stale lock aside; puts it back when what moved is not the file judged stale. */
function breakStale(path: string, seen: Seen): void {
  const grave = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, grave);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return; // someone else broke it
    throw err;
  }
  let same = false;
  try {
    const st = statSync(grave);
    same = st.ino === seen.ino && readFileSync(grave, 'utf8') === seen.text;
  } catch {
    same = false;
  }
  if (!same) {
    try {
      linkSync(grave, path); // a fresh lock was taken in between: give it back
    } catch {
      // another waiter took the slot; its owner holds the lock now
    }
  }
  try {
    unlinkSync(grave);
  } catch {
    // already gone
  }
}

/**
 * Places our owner line at `path`; false when the lock is held. An exclusive create, then
 * the write: the few microseconds in which the lock is empty are covered by the grace period
 * (an empty lock is stale only past it), without the temp file and link of an atomic
 * placement, which would cost two more filesystem operations on every lock of a command.
 */
function tryPlace(path: string, line: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the lock at `path` (its directory is made as needed), waiting for a live owner. */
export async function acquireLockFile(path: string, options: LockFileOptions): Promise<LockFile> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + (options.timeoutMs ?? 60_000);
  const line = ownerLine();
  let told = false;
  for (;;) {
    let seen: Seen | undefined;
    try {
      if (tryPlace(path, line)) break;
      seen = look(path, options.ownPidIsStale ?? false, clock.now());
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        // the directory is missing (or was removed with another holder's lock just now)
        mkdirSync(dirname(path), { recursive: true });
        continue;
      }
      throw options.ioError ? options.ioError(err) : err;
    }
    if (seen === undefined) continue; // released between our two looks
    if (seen.stale) {
      breakStale(path, seen);
      continue;
    }
    if (!told && seen.owner) {
      told = true;
      options.onWait?.(seen.owner);
    }
    if (clock.now() > deadline) throw options.timeoutError(seen.owner);
    const ms = typeof options.pollMs === 'function' ? options.pollMs() : (options.pollMs ?? 50);
    await clock.sleep(ms, options.signal);
    options.signal?.throwIfAborted(); // the wait ends with the abort reason
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}

/** Runs `fn` holding the lock at `path`, released afterwards (also on failure). */
export async function withLockFile<T>(path: string, options: LockFileOptions, fn: () => Promise<T> | T): Promise<T> {
  const lock = await acquireLockFile(path, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
