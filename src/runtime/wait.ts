import { BerthError } from '../errors.js';
import { handles } from './handles.js';
import { containerPaths } from './layout.js';
import { isAlive, readStoredConfig, readStoredExit, readStoredState, type StoredExit } from './store.js';
import type { ExitStatus, RuntimeContext } from './types.js';
const { watch } = process.getBuiltinModule('node:fs');

const SIGNALS: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };

/** exit.json's record as the public ExitStatus. */
export function toStatus(e: StoredExit): ExitStatus {
  return { exitCode: e.exitCode, oomKilled: e.oomKilled, signal: e.signal ? (SIGNALS[e.signal] ?? `signal ${e.signal}`) : undefined };
}

/**
 * Waits until the container exits. In the process that created it the shim reports on its
 * socket; elsewhere the exit file written by the shim is watched.
 */
export async function waitContainer(rt: RuntimeContext, id: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ExitStatus> {
  const handle = handles.get(id);
  const paths = containerPaths(rt, id);
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    if (handle) return toStatus(await withLimits(handle.exited, id, options));
    return toStatus(await withLimits(watchExit(paths.exit, paths.state, paths.dir), id, options));
  } finally {
    clearInterval(keepAlive);
  }
}

function withLimits<T>(p: Promise<T>, id: string, o: { signal?: AbortSignal; timeoutMs?: number }): Promise<T> {
  if (!o.signal && o.timeoutMs === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = o.timeoutMs !== undefined ? setTimeout(() => reject(new BerthError('runtime/timeout', `container ${id} did not exit within ${o.timeoutMs} ms`)), o.timeoutMs) : undefined;
    const onAbort = (): void => reject(o.signal?.reason ?? new BerthError('runtime/aborted', 'aborted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    });
  });
}

function watchExit(exitFile: string, stateFile: string, dir: string): Promise<StoredExit> {
  return new Promise((resolve, reject) => {
    let watcher: ReturnType<typeof watch> | undefined;
    let grace: NodeJS.Timeout | undefined;
    // from timers and watch events: a corrupt record ends the wait with its error
    const check = (): boolean => {
      try {
        return checkOnce();
      } catch (err) {
        finish();
        reject(err);
        return true;
      }
    };
    const checkOnce = (): boolean => {
      const e = readStoredExit(exitFile);
      if (e) {
        finish();
        resolve(e);
        return true;
      }
      const st = readStoredState(stateFile);
      if (!st && !readStoredConfig(`${dir}/config.json`)) {
        finish();
        reject(new BerthError('runtime/not-found', `container ${dir} was removed`));
        return true;
      }
      if (st && !isAlive(st)) {
        // The init is gone; give the shim a moment to write the exit file (a watch event
        // for it ends the wait sooner: finish() clears this timer, which would otherwise
        // keep the process alive for up to 200 ms after the wait).
        if (grace) return true;
        grace = setTimeout(() => {
          finish();
          try {
            resolve(readStoredExit(exitFile) ?? { exitCode: -1, signal: 0, oomKilled: false, finishedAt: new Date().toISOString() });
          } catch (err) {
            reject(err);
          }
        }, 200);
        clearInterval(timer);
        return true;
      }
      return false;
    };
    const timer = setInterval(check, 100);
    const finish = (): void => {
      clearInterval(timer);
      clearTimeout(grace);
      watcher?.close();
    };
    try {
      watcher = watch(dir, () => void check());
    } catch {
      // polling only
    }
    check();
  });
}
