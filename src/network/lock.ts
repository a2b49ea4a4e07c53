// A cross-process lock file for network state (src/util/lock-file.ts): owner pid + start time,
// stale locks of dead owners are broken, a live owner is waited for up to 10 s.
import { BerthError } from '../errors.js';
import { withLockFile } from '../util/lock-file.js';

/** Runs `fn` holding `path` (created exclusively, removed after). Waits up to 10 s. */
export async function withLock<T>(path: string, fn: () => Promise<T> | T): Promise<T> {
  return withLockFile(
    path,
    {
      timeoutMs: 10_000,
      pollMs: () => 2 + Math.random() * 5,
      timeoutError: (owner) => new BerthError('network/lock-timeout', `timed out waiting for lock ${path} (held by pid ${owner?.pid ?? 0})`),
    },
    fn,
  );
}
