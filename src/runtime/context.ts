import { BerthError } from '../errors.js';
import type { ContainerId, RuntimeContext } from './types.js';
import { berthRoot, berthRun } from '../util/berth-dirs.js';
import { SHIM_GROUP } from './cgroups/types.js';
const { join } = process.getBuiltinModule('node:path');

/** Runtime roots from the environment: BERTH_ROOT, BERTH_RUN, BERTH_SHIM, BERTH_CGROUP_ROOT. */
export function runtimeContext(env: Readonly<Record<string, string | undefined>> = process.env): RuntimeContext {
  return {
    root: berthRoot(env),
    run: berthRun(env),
    shimPath: env.BERTH_SHIM ?? join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim'),
    cgroupRoot: env.BERTH_CGROUP_ROOT ?? '/sys/fs/cgroup',
  };
}

const ID_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

/** Validates a container id (also used for names). */
export function containerId(raw: string): ContainerId {
  if (!ID_RE.test(raw)) {
    throw new BerthError('runtime/invalid-id', `invalid container name "${raw}"`, {
      hint: 'use 1-64 characters from [a-zA-Z0-9_.-], starting with a letter or digit',
    });
  }
  // the shims' own cgroup sits beside the containers' (berth/<id>)
  if (raw === SHIM_GROUP) throw new BerthError('runtime/invalid-id', `container name "${raw}" is reserved for berth's own cgroup`);
  return raw as ContainerId;
}

export function containerDir(rt: RuntimeContext, id: string): string {
  return join(rt.root, 'containers', id);
}

export function containerRunDir(rt: RuntimeContext, id: string): string {
  return join(rt.run, 'containers', id);
}
