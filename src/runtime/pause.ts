import { BerthError } from '../errors.js';
import { cgroupManager } from './cgroups/manager.js';
import { containerStateSync, requireStored } from './state.js';
import type { RuntimeContext } from './types.js';
import { notRunning } from './errors.js';

/** Freezes every process of the container (cgroup freezer). */
export async function pauseContainer(rt: RuntimeContext, id: string): Promise<void> {
  const stored = requireStored(rt, id);
  const s = containerStateSync(rt, id);
  if (s?.status !== 'running') throw notRunning(id);
  await cgroupManager(stored.cgroupRoot).setFrozen(id, true);
}

export async function resumeContainer(rt: RuntimeContext, id: string): Promise<void> {
  const stored = requireStored(rt, id);
  const s = containerStateSync(rt, id);
  if (s?.status !== 'paused') throw new BerthError('runtime/not-paused', `container ${id} is not paused`);
  await cgroupManager(stored.cgroupRoot).setFrozen(id, false);
}
