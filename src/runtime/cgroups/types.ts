// The cgroup manager's contracts, shared by the v1 and v2 backends and by manager.ts, which
// picks one (kept apart from manager.ts so that the backends need not import their chooser).
import type { ResourcesConfig } from '../types.js';

/** Where the shim puts the container, and what it mounts inside. */
export interface CgroupPlacement {
  /**
   * Files a process joining the cgroup writes "0" (itself) to: v1 each hierarchy's `tasks`
   * (the writer's thread only, which spares cgroup v1's global threadgroup lock and the RCU
   * grace period its first writer waits for: the container's init, `exec` and the shims are
   * single-threaded when they join), v2 `cgroup.procs`.
   */
  readonly joinFiles: readonly string[];
  /** v2: the leaf dir for clone3(CLONE_INTO_CGROUP). */
  readonly v2Dir: string | undefined;
  /** Counter file and key telling whether the kernel OOM-killed a process. */
  readonly oomFile: string | undefined;
  readonly oomKey: string;
  /** Every dir created for the container (removed on delete). */
  readonly dirs: readonly string[];
  /** In-container cgroup mounts: v1 one per controller, v2 one cgroup2. */
  readonly mounts: readonly { readonly name: string; readonly fstype: 'cgroup' | 'cgroup2'; readonly options: string }[];
  /** True when the cgroup enforces the device allow-list (v1 devices controller, v2 eBPF). */
  readonly enforcesDevices: boolean;
  /** v2: the dir the shim attaches its eBPF device filter to. */
  readonly deviceFilterDir?: string;
}

/**
 * A cgroup to be made by the shim (`berth-shim run`, cgroup v1): the dirs to create (parent,
 * leaf pairs, in order) and the files to write, so that the CLI's way to its exec into the
 * shim has no cgroup steps.
 */
export interface CgroupPlan {
  readonly placement: CgroupPlacement;
  /** [parent, leaf] per controller: mkdir both (EEXIST is fine; ENOENT on the leaf: again). */
  readonly mkdirs: readonly (readonly [string, string])[];
  /** [file, value, optional] in order; an optional file may be missing (ENOENT ignored). */
  readonly writes: readonly (readonly [string, string, boolean])[];
}

/**
 * The one cgroup every container's shim (the monitor that copies its output to the log) joins:
 * `berth/berth-shims`, on v1 in the cpu hierarchy only. Each process outside a group is its
 * own CFS entity; ten shims busy copying logs would each weigh as much as the CLI drawing the
 * dashboard. In one group they weigh as one. The shim makes it (mkdir parent, then dir; EEXIST
 * is fine, ENOENT on the dir: a concurrent removal took the parent, make it again) and joins it
 * right after placing its container (native/shim/shim_group.c); TypeScript plans the paths here
 * and removes the group once empty (`removeShimGroup`). Containers keep their own cgroups.
 */
export interface ShimGroup {
  /** berth's parent dir in that hierarchy. */
  readonly parent: string;
  /** The group itself: `<parent>/berth-shims`. */
  readonly dir: string;
  /** The group's file the shim writes "0" to (as CgroupPlacement.joinFiles). */
  readonly join: string;
  /** The hierarchy root's such file: where a shim that removes the group itself goes first (autoremove). */
  readonly leave: string;
}

/** The shim group's name under `berth/` (reserved: no container may be called so). */
export const SHIM_GROUP = 'berth-shims';

export interface CgroupUsage {
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number | undefined;
  readonly cpuNanos: number;
  readonly pids: number;
}

export interface CgroupManager {
  readonly version: 1 | 2;
  placement(id: string): CgroupPlacement;
  /** Creates the container's cgroup (idempotent) and applies limits and devices. */
  ensure(id: string, resources: ResourcesConfig, opts: { privileged: boolean; deviceRules?: readonly string[] }): CgroupPlacement;
  /** What ensure would do, for the shim to do it; undefined where only ensure can (v2, cpuset). */
  plan?(id: string, resources: ResourcesConfig, opts: { privileged: boolean; deviceRules?: readonly string[] }): CgroupPlan | undefined;
  /** The cgroup files this host lacks for the settings asked for (they are not applied: the caller warns). */
  unsupported(resources: ResourcesConfig): string[];
  /** Kills leftover processes and removes the dirs; missing = done. */
  remove(id: string): Promise<void>;
  /** Where every shim goes; undefined where the host has no cpu hierarchy (v1). */
  shimGroup(): ShimGroup | undefined;
  /** rmdir the shim group once empty, then berth's parent: in use or missing = done. */
  removeShimGroup(): void;
  usage(id: string): CgroupUsage;
  setFrozen(id: string, frozen: boolean): Promise<void>;
  isFrozen(id: string): boolean;
}

/** Docker's default device allow-list, as v1 devices.allow lines. */
export const DEFAULT_DEVICE_RULES: readonly string[] = [
  'c *:* m',
  'b *:* m',
  'c 1:3 rwm',
  'c 1:5 rwm',
  'c 1:7 rwm',
  'c 1:8 rwm',
  'c 1:9 rwm',
  'c 5:0 rwm',
  'c 5:1 rwm',
  'c 5:2 rwm',
  'c 136:* rwm',
  'c 10:200 rwm',
];

/** The blkio lists of a ResourcesConfig, with their v1 file names (v2: io.weight / io.max keys). */
export const BLKIO_LISTS = [
  ['blkioWeightDevice', 'blkio.weight_device', ''],
  ['blkioReadBps', 'blkio.throttle.read_bps_device', 'rbps'],
  ['blkioWriteBps', 'blkio.throttle.write_bps_device', 'wbps'],
  ['blkioReadIops', 'blkio.throttle.read_iops_device', 'riops'],
  ['blkioWriteIops', 'blkio.throttle.write_iops_device', 'wiops'],
] as const;
