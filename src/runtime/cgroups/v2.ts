// cgroup v2 (unified): one dir <root>/berth/<id>, controllers enabled down the path.
import type { ResourcesConfig } from '../types.js';
import { cgKey, cgMkdir, cgRead, cgWrite } from './fs.js';
import { BLKIO_LISTS, SHIM_GROUP, type CgroupManager, type CgroupPlacement, type CgroupUsage, type ShimGroup } from './types.js';
import { ensureLeaf, removeCgroupDir, removeParentIfEmpty, removeShimGroupDirs } from './remove.js';
const { existsSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const WANTED = ['cpu', 'cpuset', 'io', 'memory', 'pids'];

export class CgroupV2 implements CgroupManager {
  readonly version = 2 as const;
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  private leaf(id: string): string {
    return join(this.root, 'berth', id);
  }

  placement(id: string): CgroupPlacement {
    const leaf = this.leaf(id);
    return {
      joinFiles: [join(leaf, 'cgroup.procs')],
      v2Dir: leaf,
      oomFile: join(leaf, 'memory.events'),
      oomKey: 'oom_kill',
      dirs: [leaf],
      mounts: [{ name: '', fstype: 'cgroup2', options: '' }],
      // No devices file on v2: the shim attaches an eBPF device program (as runc/crun).
      enforcesDevices: true,
      deviceFilterDir: leaf,
    };
  }

  ensure(id: string, r: ResourcesConfig, _opts: { privileged: boolean; deviceRules?: readonly string[] }): CgroupPlacement {
    const available = (cgRead(join(this.root, 'cgroup.controllers')) ?? '')
      .trim()
      .split(/\s+/)
      .filter((c) => WANTED.includes(c));
    const parent = join(this.root, 'berth');
    const enable = available.map((c) => `+${c}`).join(' ');
    const enableControllers = (): void => {
      if (!enable) return;
      for (const dir of [this.root, parent]) {
        const have = (cgRead(join(dir, 'cgroup.subtree_control')) ?? '').trim().split(/\s+/);
        if (!available.every((c) => have.includes(c))) cgWrite(join(dir, 'cgroup.subtree_control'), enable);
      }
    };
    const leaf = this.leaf(id);
    ensureLeaf(parent, leaf, enableControllers, cgMkdir);
    const set = (file: string, value: string | number | undefined): void => {
      if (value !== undefined) cgWrite(join(leaf, file), value);
    };
    set('memory.max', r.memory);
    if (r.memory !== undefined) {
      // compose memswap_limit is memory+swap; v2 takes swap alone.
      const swap = r.memorySwap === undefined ? r.memory : r.memorySwap < 0 ? 'max' : Math.max(0, r.memorySwap - r.memory);
      set('memory.swap.max', swap);
    }
    set('memory.low', r.memoryReservation);
    if (r.cpuQuota !== undefined) set('cpu.max', `${r.cpuQuota > 0 ? r.cpuQuota : 'max'} ${r.cpuPeriod ?? 100000}`);
    if (r.cpuShares !== undefined) set('cpu.weight', sharesToWeight(r.cpuShares));
    set('cpuset.cpus', r.cpuset);
    set('pids.max', r.pidsLimit !== undefined ? (r.pidsLimit <= 0 ? 'max' : r.pidsLimit) : undefined);
    if (r.blkioWeight !== undefined && existsSync(join(leaf, 'io.weight'))) set('io.weight', `default ${r.blkioWeight}`);
    if (existsSync(join(leaf, 'io.weight'))) for (const d of r.blkioWeightDevice ?? []) set('io.weight', `${d.device} ${d.value}`);
    if (existsSync(join(leaf, 'io.max'))) {
      for (const [k, , key] of BLKIO_LISTS) if (key) for (const d of r[k] ?? []) set('io.max', `${d.device} ${key}=${d.value}`);
    }
    return this.placement(id);
  }

  /** No v2 file for oom_kill_disable or swappiness; io.weight needs BFQ, io.max the io controller. */
  unsupported(r: ResourcesConfig): string[] {
    const controllers = (cgRead(join(this.root, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    const io = controllers.includes('io');
    const weight = io && existsSync(join(this.root, 'berth', 'io.weight'));
    return [
      ...(r.oomKillDisable ? ['memory.oom_control (cgroup v1 only)'] : []),
      ...(r.memorySwappiness !== undefined ? ['memory.swappiness (cgroup v1 only)'] : []),
      ...((r.blkioWeight !== undefined || (r.blkioWeightDevice?.length ?? 0) > 0) && !weight ? ['io.weight'] : []),
      ...(!io && BLKIO_LISTS.some(([k, , key]) => key && (r[k]?.length ?? 0) > 0) ? ['io.max'] : []),
    ];
  }

  async remove(id: string): Promise<void> {
    await removeCgroupDir(this.leaf(id));
    removeParentIfEmpty(join(this.root, 'berth'));
  }

  /**
   * A leaf beside the containers' leaves: `berth/` enables controllers for its children, so
   * (no internal processes) it holds none itself; the shims sit in a child as the containers do.
   */
  shimGroup(): ShimGroup {
    const parent = join(this.root, 'berth');
    const dir = join(parent, SHIM_GROUP);
    return { parent, dir, join: join(dir, 'cgroup.procs'), leave: join(this.root, 'cgroup.procs') };
  }

  removeShimGroup(): void {
    removeShimGroupDirs(this.shimGroup());
  }

  usage(id: string): CgroupUsage {
    const leaf = this.leaf(id);
    const max = cgRead(join(leaf, 'memory.max'))?.trim();
    return {
      memoryBytes: Number(cgRead(join(leaf, 'memory.current')) ?? 0),
      memoryLimitBytes: max && max !== 'max' ? Number(max) : undefined,
      cpuNanos: (cgKey(cgRead(join(leaf, 'cpu.stat')), 'usage_usec') ?? 0) * 1000,
      pids: Number(cgRead(join(leaf, 'pids.current')) ?? 0),
    };
  }

  async setFrozen(id: string, frozen: boolean): Promise<void> {
    const leaf = this.leaf(id);
    cgWrite(join(leaf, 'cgroup.freeze'), frozen ? '1' : '0');
    for (let i = 0; i < 1000; i++) {
      if (cgKey(cgRead(join(leaf, 'cgroup.events')), 'frozen') === (frozen ? 1 : 0) || !existsSync(join(leaf, 'cgroup.events'))) return;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  isFrozen(id: string): boolean {
    return (cgRead(join(this.leaf(id), 'cgroup.freeze')) ?? '').trim() === '1';
  }
}

/** Docker/runc's conversion of cpu.shares (2..262144) to cpu.weight (1..10000). */
export function sharesToWeight(shares: number): number {
  if (shares <= 0) return 100;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}
