import { AggregateBerthError, BerthError, isBerthError } from '../errors.js';
import { cgroupManager } from './cgroups/manager.js';
import { handles } from './handles.js';
import { containerPaths } from './layout.js';
import { containerStateSync } from './state.js';
import { readStoredConfig, readStoredState, shimRunning, type StoredState } from './store.js';
import type { RuntimeContext } from './types.js';
import { killContainer } from './kill.js';
import { waitContainer } from './wait.js';
import { within } from '../util/sleep.js';
const { promises, readdirSync, readFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/**
 * What `keepLayer` leaves: the rw layer (upper/, work/), the init layer, config.json and the
 * user namespace lease, so that `createContainer(..., { reuseLayer: true })` runs the same
 * container again (Docker's restart). Everything of the previous run goes.
 */
const KEPT = new Set(['upper', 'work', 'merged', 'init', 'lower', 'config.json']);

/** Teardown goes on past a corrupt record (it is removed with the rest): missing = done. */
function unlessCorrupt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (isBerthError(err) && err.code === 'runtime/state-corrupt') return undefined;
    throw err;
  }
}

/**
 * removeContainer: kills (with force) and waits, removes the cgroup, the rw layer, logs and
 * state. Missing = done; errors are gathered, not dropped. No host mount exists to undo: the
 * rootfs is mounted only inside the container's own mount namespace.
 */
export async function deleteContainer(rt: RuntimeContext, id: string, options: { force?: boolean; keepLayer?: boolean } = {}): Promise<void> {
  const paths = containerPaths(rt, id);
  const stored = unlessCorrupt(() => readStoredConfig(paths.config));
  const state = unlessCorrupt(() => containerStateSync(rt, id));
  // No pid yet = a create that never reached the shim (crashed caller): nothing to kill.
  if (state && state.status !== 'exited' && state.pid > 0) {
    if (!options.force && state.status !== 'created') {
      throw new BerthError('runtime/running', `container ${id} is ${state.status}: stop it first or use --force`);
    }
    if (state.status === 'paused') await cgroupManager(stored!.cgroupRoot).setFrozen(id, false);
    try {
      await killContainer(rt, id, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
    await waitContainer(rt, id, { timeoutMs: 10_000 }).catch(() => undefined);
  }
  const errors: unknown[] = [];
  const handle = handles.get(id);
  const shimState = unlessCorrupt(() => readStoredState(paths.state));
  // the shim's files are complete once it reported the exit; without autoremove it only exits then
  if (handle && !(handle.reported && !stored?.config.autoRemove)) await within(handle.gone, 2000);
  // a shim started by another process may still be writing exit.json and the log's last
  // lines after its service died: let it finish before the files go (or are reused)
  else if (stored) await shimGone(shimState, 2000);
  const cgroups = cgroupManager(stored?.cgroupRoot ?? rt.cgroupRoot);
  await cgroups.remove(id).catch((e: unknown) => errors.push(e));
  // The shims' group goes once its last shim has: this one's end is awaited beside the rest of
  // the removal (it may still be unmounting its rootfs). A shim whose creator died before it
  // recorded the shim's pid is found in the group by its config (its container is dead now).
  const orphan = handle || shimState?.shimPid ? undefined : shimInGroup(cgroups.shimGroup()?.dir, paths.shimConf);
  const shimEnded = handle ? within(handle.gone, 2000) : orphan ? shimGone({ pid: 0, pidStart: '', shimPid: orphan }, 2000) : undefined;
  if (stored?.usernsLease && !options.keepLayer) rmSync(stored.usernsLease, { force: true });
  const dirs = options.keepLayer
    ? [
        ...entries(paths.dir)
          .filter((f) => !KEPT.has(f))
          .map((f) => join(paths.dir, f)),
        paths.runDir,
      ]
    : [paths.dir, paths.runDir];
  // on the libuv pool, not the JS thread: a `down` removes containers while others are still
  // stopping, and a synchronous tree removal delayed noticing their exits (and the next level)
  await Promise.all([...dirs.map((d) => promises.rm(d, { recursive: true, force: true, maxRetries: 3 }).catch((e: unknown) => errors.push(e))), shimEnded]);
  cgroups.removeShimGroup();
  if (errors.length) throw new AggregateBerthError('runtime/delete', `container ${id}: removal incomplete`, errors);
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function shimGone(state: StoredState | undefined, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; state && shimRunning(state) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
}

/** The pid in the shims' group running `berth-shim create <conf>`, if any. */
function shimInGroup(group: string | undefined, conf: string): number | undefined {
  if (!group) return undefined;
  let procs: string;
  try {
    procs = readFileSync(join(group, 'cgroup.procs'), 'utf8');
  } catch {
    return undefined; // no group: no shim
  }
  for (const pid of procs.split('\n').filter(Boolean).map(Number)) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(conf)) return pid;
    } catch {
      // gone
    }
  }
  return undefined;
}
