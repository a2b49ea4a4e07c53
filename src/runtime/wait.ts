import { BerthError } from '../errors.js';
import { handles } from './handles.js';
import { containerPaths, type ContainerPaths } from './layout.js';
import { isAlive, readStoredConfig, readStoredExit, readStoredState, shimRunning, type StoredExit } from './store.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { ExitStatus, RuntimeContext } from './types.js';
const { watch } = process.getBuiltinModule('node:fs');

const SIGNALS: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM' };

/** exit.json's record as the public ExitStatus. */
export function toStatus(e: StoredExit): ExitStatus {
  return { exitCode: e.exitCode, oomKilled: e.oomKilled, signal: e.signal ? (SIGNALS[e.signal] ?? `signal ${e.signal}`) : undefined };
}

export interface WaitOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Paces the polling of the exit file (tests pass a fake one). */
  readonly clock?: Clock;
}

/**
 * Waits until the container exits. In the process that created it the shim reports on its
 * socket; elsewhere the exit file written by the shim is watched.
 */
export async function waitContainer(rt: RuntimeContext, id: string, options: WaitOptions = {}): Promise<ExitStatus> {
  const handle = handles.get(id);
  const paths = containerPaths(rt, id);
  const keepAlive = setInterval(() => {}, 1 << 30);
  const done = new AbortController();
  try {
    if (handle) return toStatus(await withLimits(handle.exited, id, options));
    return toStatus(await withLimits(watchExit(paths, options.clock ?? systemClock, done.signal), id, options));
  } finally {
    done.abort(); // a wait that timed out or was aborted stops watching
    clearInterval(keepAlive);
  }
}

function withLimits<T>(p: Promise<T>, id: string, o: WaitOptions): Promise<T> {
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

const UNKNOWN_EXIT = (): StoredExit => ({ exitCode: -1, signal: 0, oomKilled: false, finishedAt: new Date().toISOString() });

/**
 * The exit record, once the shim wrote it: checked at each change in the container's directory
 * and every 100 ms. Once the init is gone the record is still coming for as long as its shim
 * runs (a loaded machine may write it long after): only a shim gone without writing one makes
 * the exit unknown (-1). No grace period decides the outcome, so load cannot change it.
 */
async function watchExit(paths: Pick<ContainerPaths, 'dir' | 'config' | 'state' | 'exit'>, clock: Clock, stop: AbortSignal): Promise<StoredExit> {
  let wake = (): void => {};
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(paths.dir, () => wake());
  } catch {
    // polling only
  }
  try {
    while (!stop.aborted) {
      const e = readStoredExit(paths.exit);
      if (e) return e;
      const st = readStoredState(paths.state);
      if (!st && !readStoredConfig(paths.config)) throw new BerthError('runtime/not-found', `container ${paths.dir} was removed`);
      // the shim writes the record before it ends: read once more after seeing it gone
      if (st && !isAlive(st) && !shimRunning(st)) return readStoredExit(paths.exit) ?? UNKNOWN_EXIT();
      const tick = new AbortController();
      wake = () => tick.abort();
      stop.addEventListener('abort', wake, { once: true });
      await clock.sleep(100, tick.signal);
      stop.removeEventListener('abort', wake);
    }
    return UNKNOWN_EXIT(); // stopped: the caller no longer waits for this
  } finally {
    watcher?.close();
  }
}
