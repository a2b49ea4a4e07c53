import { BerthError } from '../errors.js';
import { cgroupManager } from './cgroups/manager.js';
import { requireStored } from './state.js';
import type { ContainerId, ContainerStats, RuntimeContext } from './types.js';

/** Memory, CPU time and pids from the container's cgroup. */
export async function containerStats(rt: RuntimeContext, id: string): Promise<ContainerStats> {
  const stored = requireStored(rt, id);
  try {
    return { id: id as ContainerId, ...cgroupManager(stored.cgroupRoot).usage(id) };
  } catch (err) {
    throw new BerthError('runtime/stats', `container ${id}: cannot read its usage`, { cause: err });
  }
}
