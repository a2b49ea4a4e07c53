// One cgroup manager interface; the v1 and v2 backends are chosen once per cgroup root by
// detection (cgroupManager). The root path is a seam: tests pass a fake tree.
import { join } from 'node:path';
import type { ResourcesConfig } from '../types.js';
import { CgroupV1 } from './v1.js';
import { CgroupV2 } from './v2.js';
const { existsSync } = process.getBuiltinModule('node:fs');

/** Where the shim puts the container, and what it mounts inside. */
export interface CgroupPlacement {
  /** Files the container's init writes "0" to (v1: one per controller). */
  readonly procsFiles: readonly string[];
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
 * leaf pairs, in order) and the files to write, so that the mkdirs happen after the attach
 * priming has had its grace period (see prime.ts) instead of queueing behind it.
 */
export interface CgroupPlan {
  readonly placement: CgroupPlacement;
  /** [parent, leaf] per controller: mkdir both (EEXIST is fine; ENOENT on the leaf: again). */
  readonly mkdirs: readonly (readonly [string, string])[];
  /** [file, value, optional] in order; an optional file may be missing (ENOENT ignored). */
  readonly writes: readonly (readonly [string, string, boolean])[];
}

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
  /** Kills leftover processes and removes the dirs; missing = done. */
  remove(id: string): Promise<void>;
  usage(id: string): CgroupUsage;
  setFrozen(id: string, frozen: boolean): Promise<void>;
  isFrozen(id: string): boolean;
}

const cache = new Map<string, CgroupManager>();

/** Picks v2 when the root itself is a cgroup2 mount (has cgroup.controllers), else v1 (legacy or hybrid). */
export function cgroupManager(root: string): CgroupManager {
  let m = cache.get(root);
  if (!m) {
    m = existsSync(join(root, 'cgroup.controllers')) ? new CgroupV2(root) : new CgroupV1(root);
    cache.set(root, m);
  }
  return m;
}

/** Docker's default device allow-list, as v1 devices.allow lines. */
export const DEFAULT_DEVICE_RULES: readonly string[] = [
  'c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm',
  'c 136:* rwm', 'c 10:200 rwm',
];

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
