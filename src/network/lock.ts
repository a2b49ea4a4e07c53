// A cross-process lock file (exclusive create + pid), stale locks of dead pids are broken.
import { emptyLockIsStale } from '../util/lock-file.js';
import { dirname } from 'node:path';
import { errnoCode, BerthError } from '../errors.js';
const { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } = process.getBuiltinModule('node:fs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/** Runs `fn` holding `path` (created exclusively, removed after). Waits up to 10 s. */
export async function withLock<T>(path: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path, 'utf8'));
      } catch {
        continue;
      }
      const stale = owner ? owner !== process.pid && !alive(owner) : emptyLockIsStale(path);
      if (stale) {
        try {
          unlinkSync(path);
        } catch {
          // someone else broke it
        }
        continue;
      }
      if (Date.now() > deadline) throw new BerthError('network/lock-timeout', `timed out waiting for lock ${path} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 5));
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
