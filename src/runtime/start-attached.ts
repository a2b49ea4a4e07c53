// startAttached: Docker's `start -a` on one container: start it (a created one passes its
// gate, an exited one runs again on its layer, a running one is only attached to), then
// its output until it exits, and its exit status.
//
// An auto-remove (`--rm`) container is removed by its shim right after it wrote exit.json,
// possibly before this process read it. So before a created container is started, its
// exit.json.tmp is made and held open: the shim writes the record into that same file
// (open O_CREAT|O_TRUNC, then rename) and the record stays readable through the held fd
// after the removal; the log is held open the same way (the attach reads it through that fd).
// (A rerun is created by this process, which hears the exit directly.)
import { attachContainer, type AttachOptions } from './attach.js';
import { startContainer } from './create.js';
import { containerPaths } from './layout.js';
import { startOrRerunContainer } from './start-again.js';
import { containerStateSync } from './state.js';
import type { StoredExit } from './store.js';
import type { ExitStatus, RuntimeContext } from './types.js';
import { toStatus } from './wait.js';
import { noSuchContainer } from './errors.js';
const { closeSync, fstatSync, openSync, readSync } = process.getBuiltinModule('node:fs');

export async function startAttached(rt: RuntimeContext, id: string, opts: Omit<AttachOptions, 'fromStart' | 'exitOfRemoved'>): Promise<ExitStatus> {
  const state = containerStateSync(rt, id);
  if (!state) throw noSuchContainer(id);
  if (state.status === 'running' || state.status === 'paused') return attachContainer(rt, id, opts);
  if (state.status !== 'created') {
    // a new run starts a new log
    await startOrRerunContainer(rt, id);
    return attachContainer(rt, id, { ...opts, fromStart: true });
  }
  const paths = containerPaths(rt, id);
  const held = openSync(`${paths.exit}.tmp`, 'a+', 0o644);
  // the log too: a service that ends at once is removed with its log before the attach begins
  let heldLog: number | undefined;
  try {
    heldLog = openSync(paths.log, 'r');
  } catch {
    heldLog = undefined; // a container that logs nowhere: nothing to hold
  }
  try {
    await startContainer(rt, id);
    return await attachContainer(rt, id, { ...opts, fromStart: true, exitOfRemoved: () => readHeld(held), ...(heldLog === undefined ? {} : { heldLog }) });
  } finally {
    closeSync(held);
    if (heldLog !== undefined) closeSync(heldLog);
  }
}

function readHeld(fd: number): ExitStatus | undefined {
  const buf = Buffer.alloc(Math.min(fstatSync(fd).size, 4096));
  const n = readSync(fd, buf, 0, buf.length, 0);
  try {
    const e = JSON.parse(buf.subarray(0, n).toString()) as Partial<StoredExit>;
    if (typeof e.exitCode !== 'number') return undefined;
    return toStatus({ exitCode: e.exitCode, signal: typeof e.signal === 'number' ? e.signal : 0, oomKilled: e.oomKilled === true, finishedAt: String(e.finishedAt ?? '') });
  } catch {
    return undefined;
  }
}
