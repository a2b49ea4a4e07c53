import { cgroupManager } from './cgroups/manager.js';
import { containerPaths } from './layout.js';
import { isAlive, readStoredConfig, readStoredExit, readStoredState, shimRunning, type StoredContainer, type StoredExit, type StoredState } from './store.js';
import type { ContainerId, ContainerState, ContainerStatus, RuntimeContext } from './types.js';
import { compareText } from '../util/compare.js';
import { noSuchContainer } from './errors.js';
const { existsSync, readdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/** The container's state from disk and /proc (any process can ask); undefined when unknown. */
export async function containerState(rt: RuntimeContext, id: string): Promise<ContainerState | undefined> {
  return containerStateSync(rt, id);
}

export function containerStateSync(rt: RuntimeContext, id: string): ContainerState | undefined {
  return readContainerSync(rt, id)?.state;
}

/** containerStateSync with the stored config it read (each file read once). */
export function readContainerSync(rt: RuntimeContext, id: string): { stored: StoredContainer; state: ContainerState } | undefined {
  const p = containerPaths(rt, id);
  const stored = readStoredConfig(p.config);
  if (!stored) return undefined;
  const state = readStoredState(p.state);
  const exit = readStoredExit(p.exit);
  const alive = !exit && isAlive(state);
  // The init is gone but its shim still runs: the exit record is on its way (on a loaded
  // machine a while later). Still running (pid 0) rather than exited with an unknown code (-1),
  // which `up --abort-on-container-failure` took as the exit code (255 for a 3).
  const recording = !exit && !alive && state !== undefined && shimRunning(state);
  let status: ContainerStatus;
  if (!alive && !recording) status = state || exit ? 'exited' : 'created';
  else if (!state?.startedAt) status = 'created';
  else status = cgroupManager(stored.cgroupRoot).isFrozen(id) ? 'paused' : 'running';
  return { stored, state: toContainerState(id, stored, state, exit, status, alive) };
}

/** The ContainerState view of what is on disk (also built in memory by create with start). */
export function toContainerState(id: string, stored: StoredContainer, state: StoredState | undefined, exit: StoredExit | undefined, status: ContainerStatus, alive: boolean): ContainerState {
  return {
    id: id as ContainerId,
    name: stored.config.name ?? id,
    status,
    pid: alive ? (state?.pid ?? 0) : 0,
    shimPid: state?.shimPid ?? 0,
    exitCode: exit?.exitCode ?? (status === 'exited' ? -1 : undefined),
    oomKilled: exit?.oomKilled ?? false,
    createdAt: stored.createdAt,
    startedAt: state?.startedAt,
    finishedAt: exit?.finishedAt,
    labels: stored.config.labels ?? {},
    args: stored.config.process.args,
  };
}

/** Every container under $BERTH_ROOT/containers, sorted by name. */
export async function listContainers(rt: RuntimeContext): Promise<ContainerState[]> {
  const dir = join(rt.root, 'containers');
  if (!existsSync(dir)) return [];
  const out: ContainerState[] = [];
  for (const id of readdirSync(dir)) {
    const s = containerStateSync(rt, id);
    if (s) out.push(s);
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}

/** Finds a container by id, name or unique id prefix. */
export async function resolveContainer(rt: RuntimeContext, ref: string): Promise<ContainerId> {
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(ref) && existsSync(join(rt.root, 'containers', ref, 'config.json'))) return ref as ContainerId;
  const all = await listContainers(rt);
  const byName = all.filter((c) => c.name === ref);
  if (byName.length === 1) return byName[0]!.id;
  const byPrefix = all.filter((c) => c.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0]!.id;
  throw noSuchContainer(ref, { hint: "see 'berth container ls -a'" });
}

export function requireStored(rt: RuntimeContext, id: string): StoredContainer {
  const stored = readStoredConfig(containerPaths(rt, id).config);
  if (!stored) throw noSuchContainer(id);
  return stored;
}
