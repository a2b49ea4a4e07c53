// createContainer: cgroup + dirs + shim config (prepare.ts), then the shim clones the
// container and reports "created" (namespaces and rootfs ready, the service waits at the
// exec fifo).
import { BerthError } from '../errors.js';
import { passGate } from './gate.js';
import { lineSplitter, parseShimFailure, parseShimMessage, shimError, type ShimFailure } from '../native/index.js';
import { containerId } from './context.js';
import { handles, type ShimHandle } from './handles.js';
import { containerPaths, type ContainerPaths } from './layout.js';
import { prepareContainer, rollbackError, rollbackPrepared } from './prepare.js';
import { isAlive, pidStartTime, readStoredExit, readStoredState, writeJson, type StoredExit, type StoredState } from './store.js';
import type { ContainerConfig, ContainerState, CreateHooks, RuntimeContext } from './types.js';
import { toContainerState } from './state.js';
import { noSuchContainer } from './errors.js';
import { within } from '../util/sleep.js';
const { existsSync, openSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { spawn } = process.getBuiltinModule('node:child_process');
const { join } = process.getBuiltinModule('node:path');

export interface CreateOptions extends CreateHooks {
  /** Forward the container's stdout/stderr to this process's (besides the log). */
  readonly attach?: boolean;
  /** Called with non-fatal notices (e.g. a ulimit clamped to the host's hard limit). */
  onWarning?(message: string): void;
  /** Aborting kills the half-made container and removes what was set up. */
  readonly signal?: AbortSignal;
  /**
   * Start it as soon as it is created (after onCreated): `run`'s create + start in one step,
   * without reading back the state in between (container start latency).
   */
  readonly start?: boolean;
  /**
   * The container may exist already, left by `deleteContainer(rt, id, { keepLayer: true })`:
   * it runs again on its rw layer (upper/, work/), with its creation time and user namespace
   * range (Docker's restart). Without a previous container it is created as usual.
   */
  readonly reuseLayer?: boolean;
}

export async function createContainer(rt: RuntimeContext, config: ContainerConfig, options: CreateOptions = {}): Promise<ContainerState> {
  const prep = await prepareContainer(rt, config, options);
  const { id, paths, stored } = prep;
  let shim: ShimHandle | undefined;
  try {
    shim = spawnShim(rt, id, paths, config, options.attach ?? false);
    const pid = await waitCreated(id, shim, options.signal);
    keepSealedShim(rt, shim.child.pid);
    const state: StoredState = { pid, pidStart: pidStartTime(pid) ?? '', shimPid: shim.child.pid ?? 0 };
    writeJson(paths.state, state);
    await options.onCreated?.({ pid, netnsPath: `/proc/${pid}/ns/net` });
    options.signal?.throwIfAborted();
    if (!options.start) return toContainerState(id, stored, state, undefined, 'created', true);
    const started: StoredState = { ...state, startedAt: new Date().toISOString() };
    writeJson(paths.state, started);
    await passGate(id, paths.fifo, () => isAlive(started));
    return toContainerState(id, stored, started, undefined, 'running', true);
  } catch (err) {
    if (shim?.child.pid) {
      try {
        process.kill(shim.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      const st = readStoredState(paths.state);
      if (st?.pid) {
        try {
          process.kill(st.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    handles.delete(id);
    const cleanup = await rollbackPrepared(prep);
    // it may have joined the shims' group: the group goes once it has ended (if it was the last)
    if (shim) await within(shim.gone, 2000);
    prep.cgroups.removeShimGroup();
    throw rollbackError(id, err, cleanup);
  }
}

/** Releases the service (it execs) by opening the exec fifo; records startedAt. */
export async function startContainer(rt: RuntimeContext, id: string): Promise<void> {
  const paths = containerPaths(rt, id);
  const state = readStoredState(paths.state);
  if (!state) throw noSuchContainer(id);
  // startedAt first: with autoRemove the shim may delete the dir as soon as the service ends.
  writeJson(paths.state, { ...state, startedAt: new Date().toISOString() });
  try {
    await passGate(id, paths.fifo, () => isAlive(state));
  } catch (err) {
    if (err instanceof BerthError && err.code === 'runtime/not-created') writeJson(paths.state, state); // never started
    throw err;
  }
}

/** create + start. */
export async function runContainer(rt: RuntimeContext, config: ContainerConfig, options: CreateOptions = {}): Promise<ContainerState> {
  return createContainer(rt, config, { ...options, start: true });
}

/**
 * The shim re-executes itself from a sealed memfd copy (CVE-2019-5736), a second exec per
 * container. Once one shim runs, this process keeps an fd to that sealed copy (its
 * /proc/<pid>/exe) and starts the next shims from it directly (/proc/self/fd/N): the shim
 * finds itself sealed and skips the copy (~1 ms per container for the engine). Should the
 * fd not be the sealed copy, the shim copies itself as usual: never less protected.
 */
let sealedShim: { readonly shimPath: string; readonly fd: number } | undefined;

function shimExecutable(rt: RuntimeContext): string {
  return sealedShim?.shimPath === rt.shimPath ? `/proc/self/fd/${sealedShim.fd}` : rt.shimPath;
}

function keepSealedShim(rt: RuntimeContext, shimPid: number | undefined): void {
  if (sealedShim || !shimPid) return;
  try {
    sealedShim = { shimPath: rt.shimPath, fd: openSync(`/proc/${shimPid}/exe`, 'r') /* O_CLOEXEC, as libuv opens */ };
  } catch {
    // gone already, or no /proc: the shims copy themselves
  }
}

function spawnShim(rt: RuntimeContext, id: string, paths: ContainerPaths, config: ContainerConfig, attach: boolean): ShimHandle {
  const child = spawn(shimExecutable(rt), ['create', paths.shimConf], {
    argv0: rt.shimPath,
    stdio: [config.process.stdin ? 'inherit' : 'ignore', attach ? 'inherit' : 'ignore', attach ? 'inherit' : 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let resolveExit!: (e: StoredExit) => void;
  let resolveGone!: () => void;
  const exited = new Promise<StoredExit>((r) => (resolveExit = r));
  const gone = new Promise<void>((r) => (resolveGone = r));
  const handle: ShimHandle = { child, exited, gone, failure: undefined };
  const sync = child.stdio[3] as NodeJS.ReadableStream & { unref?(): void };
  const errs = child.stdio[4] as NodeJS.ReadableStream & { unref?(): void };
  let exitMsg: StoredExit | undefined;
  sync.on(
    'data',
    lineSplitter((line) => {
      const m = parseShimMessage(line);
      if (m?.type === 'created') child.emit('berth-created', m.pid);
      if (m?.type === 'exit') {
        exitMsg = m;
        handle.reported = true;
        resolveExit(m);
      }
    }),
  );
  errs.on(
    'data',
    lineSplitter((line) => {
      const f = parseShimFailure(line);
      if (f) {
        handle.failure = f;
        child.emit('berth-failure', f);
      }
    }),
  );
  child.on('error', (err) => child.emit('berth-failure', { syscall: 'spawn', errno: 0, path: rt.shimPath, message: err.message } satisfies ShimFailure));
  child.on('exit', () => {
    const fromFile = readStoredExit(paths.exit);
    resolveExit(exitMsg ?? fromFile ?? { exitCode: -1, signal: 0, oomKilled: false, finishedAt: new Date().toISOString() });
    resolveGone();
    if (handles.get(id) === handle) handles.delete(id); // not a newer shim of the same container
  });
  child.unref();
  sync.unref?.();
  errs.unref?.();
  handles.set(id, handle);
  return handle;
}

function waitCreated(id: string, shim: ShimHandle, signal: AbortSignal | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { child } = shim;
    const keepAlive = setInterval(() => {}, 1 << 30);
    const onAbort = (): void => {
      done();
      reject(signal?.reason ?? new BerthError('runtime/aborted', `container ${id}: create aborted`));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const onCreated = (pid: number): void => {
      done();
      resolve(pid);
    };
    const onExit = (code: number | null): void => {
      done();
      const f = shim.failure;
      reject(f ? shimError(id, f) : new BerthError('runtime/shim', `container ${id}: the shim exited (code ${code}) before the container was created`));
    };
    // a shim that cannot be started at all (missing, not executable) has no exit event
    const onSpawnError = (err: Error): void => {
      done();
      reject(new BerthError('runtime/shim', `container ${id}: cannot start the shim: ${err.message}`, { cause: err, hint: 'build it with: node scripts/build-native.mjs' }));
    };
    const done = (): void => {
      clearInterval(keepAlive);
      signal?.removeEventListener('abort', onAbort);
      child.off('berth-created', onCreated);
      child.off('exit', onExit);
      child.off('error', onSpawnError);
    };
    child.on('berth-created', onCreated);
    child.on('exit', onExit);
    child.on('error', onSpawnError);
  });
}

/**
 * Replaces the init layer's etc/hosts in place (same inode: the container's overlay, already
 * mounted with the init layer as a lower dir, reads the new text). For the engine at the
 * sync point, once the network gave the container its address; before the service starts.
 */
export function writeHostsFile(rt: RuntimeContext, id: string, text: string): void {
  const file = join(containerPaths(rt, containerId(id)).init, 'etc', 'hosts');
  if (!existsSync(file)) throw noSuchContainer(id);
  writeFileSync(file, text);
}
