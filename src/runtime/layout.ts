// Where a container's files live. $BERTH_ROOT/containers/<id>/ holds what survives a reboot;
// $BERTH_RUN/containers/<id>/ the runtime-only files.
import type { RuntimeContext } from './types.js';
const { join } = process.getBuiltinModule('node:path');

export interface ContainerPaths {
  readonly dir: string;
  readonly config: string;
  readonly state: string;
  readonly exit: string;
  readonly log: string;
  readonly upper: string;
  readonly work: string;
  readonly merged: string;
  /** The init layer: etc/hostname, etc/hosts, etc/resolv.conf (top overlay lower, never committed). */
  readonly init: string;
  readonly runDir: string;
  readonly fifo: string;
  readonly shimConf: string;
}

export function containerPaths(rt: RuntimeContext, id: string): ContainerPaths {
  const dir = join(rt.root, 'containers', id);
  const runDir = join(rt.run, 'containers', id);
  return {
    dir,
    config: join(dir, 'config.json'),
    state: join(dir, 'state.json'),
    exit: join(dir, 'exit.json'),
    log: join(dir, 'container.log'),
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    merged: join(dir, 'merged'),
    init: join(dir, 'init'),
    runDir,
    fifo: join(runDir, 'exec.fifo'),
    shimConf: join(runDir, 'shim.conf'),
  };
}

/** The init layer's files (kept across a restart, rewritten in place): shared by `network_mode: container:`. */
export function initFilePaths(rt: RuntimeContext, id: string): { readonly hosts: string; readonly hostname: string; readonly resolvConf: string } {
  const etc = join(containerPaths(rt, id).init, 'etc');
  return { hosts: join(etc, 'hosts'), hostname: join(etc, 'hostname'), resolvConf: join(etc, 'resolv.conf') };
}
