// One cgroup manager interface (types.ts); the v1 and v2 backends are chosen once per cgroup root by
// detection (cgroupManager). The root path is a seam: tests pass a fake tree.
import { CgroupV1 } from './v1.js';
import { CgroupV2 } from './v2.js';
import type { CgroupManager } from './types.js';
const { existsSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

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
