// cgroup v1 (legacy or hybrid hosts): one dir per controller hierarchy, under `berth/`.
import type { Dirent } from 'node:fs';
import type { ResourcesConfig } from '../types.js';
import { cgKey, cgMkdir, cgRead, cgWrite } from './fs.js';
import { BLKIO_LISTS, DEFAULT_DEVICE_RULES, SHIM_GROUP, type CgroupManager, type CgroupPlacement, type CgroupPlan, type CgroupUsage, type ShimGroup } from './types.js';
import { ensureLeaf, removeCgroupDir, removeParentIfEmpty, removeShimGroupDirs } from './remove.js';
const { existsSync, readdirSync, realpathSync, statSync } = process.getBuiltinModule('node:fs');
const { basename, join } = process.getBuiltinModule('node:path');

const WANTED = ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids'];

export class CgroupV1 implements CgroupManager {
  readonly version = 1 as const;
  readonly root: string;
  private readonly controllers: readonly { name: string; dir: string; options: string }[];

  constructor(root: string) {
    this.root = root;
    const seen = new Set<string>();
    const list: { name: string; dir: string; options: string }[] = [];
    // one readdir, a realpath only for the symlinks (cpu -> cpu,cpuacct): every `container
    // run` builds this once, and per-path stat/realpath calls add up (~0.4 ms)
    const entries = new Map<string, Dirent>();
    try {
      for (const e of readdirSync(root, { withFileTypes: true })) entries.set(e.name, e);
    } catch {
      // no cgroup fs here: no controllers
    }
    for (const name of WANTED) {
      const e = entries.get(name);
      const dir = join(root, name);
      let real: string;
      if (e?.isDirectory()) real = dir;
      else if (e?.isSymbolicLink() && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) real = realpathSync.native(dir);
      else continue;
      if (seen.has(real)) continue;
      seen.add(real);
      list.push({ name, dir: real, options: basename(real) });
    }
    this.controllers = list;
  }

  private dir(ctrl: string, id: string): string | undefined {
    const c = this.controllers.find((x) => x.name === ctrl);
    return c ? join(c.dir, 'berth', id) : undefined;
  }

  /** Present dirs only: optional controllers are created when the config uses them. */
  placement(id: string): CgroupPlacement {
    return this.placementOf(
      id,
      this.controllers.filter((c) => existsSync(join(c.dir, 'berth', id))),
    );
  }

  private placementOf(id: string, controllers: readonly { name: string; dir: string; options: string }[]): CgroupPlacement {
    const dirs = controllers.map((c) => join(c.dir, 'berth', id));
    const mem = this.dir('memory', id);
    return {
      joinFiles: dirs.map((d) => join(d, 'tasks')),
      v2Dir: undefined,
      oomFile: mem ? join(mem, 'memory.oom_control') : undefined,
      oomKey: 'oom_kill',
      dirs,
      mounts: controllers.map((c) => ({ name: c.options, fstype: 'cgroup' as const, options: c.options })),
      enforcesDevices: controllers.some((c) => c.name === 'devices'),
    };
  }

  /** Fewer hierarchies = a faster start and delete: cpu, cpuset and blkio only when asked for. */
  private used(r: ResourcesConfig): readonly { name: string; dir: string; options: string }[] {
    const optional: Record<string, boolean> = {
      cpu: r.cpuQuota !== undefined || r.cpuShares !== undefined,
      cpuset: r.cpuset !== undefined,
      blkio: r.blkioWeight !== undefined || BLKIO_LISTS.some(([k]) => (r[k]?.length ?? 0) > 0),
    };
    return this.controllers.filter((c) => optional[c.name] ?? true);
  }

  ensure(id: string, r: ResourcesConfig, opts: { privileged: boolean; deviceRules?: readonly string[] }): CgroupPlacement {
    const used = this.used(r);
    for (const c of used) {
      const parent = join(c.dir, 'berth');
      const leaf = join(parent, id);
      ensureLeaf(parent, leaf, () => c.name === 'cpuset' && inheritCpuset(c.dir, parent), cgMkdir);
      if (c.name === 'cpuset') inheritCpuset(parent, leaf);
    }
    for (const [file, value, optional] of this.limitWrites(id, r, opts)) if (!optional || existsSync(file)) cgWrite(file, value);
    return this.placementOf(id, used);
  }

  /** No cpuset (its values are inherited from the parent by reading them, here). */
  plan(id: string, r: ResourcesConfig, opts: { privileged: boolean; deviceRules?: readonly string[] }): CgroupPlan | undefined {
    if (r.cpuset !== undefined) return undefined;
    const used = this.used(r);
    return {
      placement: this.placementOf(id, used),
      mkdirs: used.map((c) => [join(c.dir, 'berth'), join(c.dir, 'berth', id)] as const),
      writes: this.limitWrites(id, r, opts),
    };
  }

  /** Limits and the device list as [file, value, optional] (optional: absent on some hosts, e.g. memsw). */
  private limitWrites(id: string, r: ResourcesConfig, opts: { privileged: boolean; deviceRules?: readonly string[] }): [string, string, boolean][] {
    const out: [string, string, boolean][] = [];
    const set = (ctrl: string, file: string, value: string | number | undefined): void => {
      const d = this.dir(ctrl, id);
      if (d && value !== undefined) out.push([join(d, file), String(value), true]);
    };
    if (r.memory !== undefined) {
      set('memory', 'memory.limit_in_bytes', r.memory);
      // Docker: without memswap, swap is as large as memory (memsw = 2 x memory).
      set('memory', 'memory.memsw.limit_in_bytes', r.memorySwap ?? r.memory * 2);
    }
    set('memory', 'memory.soft_limit_in_bytes', r.memoryReservation);
    if (r.cpuQuota !== undefined) {
      set('cpu', 'cpu.cfs_period_us', r.cpuPeriod ?? 100000);
      set('cpu', 'cpu.cfs_quota_us', r.cpuQuota);
    }
    set('cpu', 'cpu.shares', r.cpuShares);
    set('cpuset', 'cpuset.cpus', r.cpuset);
    set('pids', 'pids.max', r.pidsLimit !== undefined ? (r.pidsLimit <= 0 ? 'max' : r.pidsLimit) : undefined);
    set('blkio', 'blkio.weight', r.blkioWeight);
    for (const [k, file] of BLKIO_LISTS) for (const d of r[k] ?? []) set('blkio', file, `${d.device} ${d.value}`);
    set('memory', 'memory.oom_control', r.oomKillDisable ? 1 : undefined);
    set('memory', 'memory.swappiness', r.memorySwappiness);
    const dev = this.dir('devices', id);
    if (dev) {
      if (opts.privileged) out.push([join(dev, 'devices.allow'), 'a', false]);
      else {
        out.push([join(dev, 'devices.deny'), 'a', false]);
        for (const rule of [...DEFAULT_DEVICE_RULES, ...(opts.deviceRules ?? [])]) out.push([join(dev, 'devices.allow'), rule, false]);
      }
    }
    return out;
  }

  unsupported(r: ResourcesConfig): string[] {
    const asked: [string, string, boolean][] = [
      ['memory', 'memory.oom_control', r.oomKillDisable === true],
      ['memory', 'memory.swappiness', r.memorySwappiness !== undefined],
      ['blkio', 'blkio.weight', r.blkioWeight !== undefined],
      ...BLKIO_LISTS.map(([k, file]): [string, string, boolean] => ['blkio', file, (r[k]?.length ?? 0) > 0]),
    ];
    return asked
      .filter(([ctrl, file, wanted]) => {
        if (!wanted) return false;
        const c = this.controllers.find((x) => x.name === ctrl);
        return !c || !existsSync(join(c.dir, file));
      })
      .map(([, file]) => file);
  }

  async remove(id: string): Promise<void> {
    const errors: unknown[] = [];
    await Promise.all(this.controllers.map((c) => join(c.dir, 'berth', id)).map((d) => removeCgroupDir(d).catch((e: unknown) => errors.push(e))));
    if (errors.length) throw errors[0];
    for (const c of this.controllers) removeParentIfEmpty(join(c.dir, 'berth'));
  }

  /** In the cpu hierarchy only (cpu,cpuacct where co-mounted): the one that schedules. */
  shimGroup(): ShimGroup | undefined {
    const cpu = this.controllers.find((c) => c.name === 'cpu');
    if (!cpu) return undefined;
    const parent = join(cpu.dir, 'berth');
    const dir = join(parent, SHIM_GROUP);
    return { parent, dir, join: join(dir, 'tasks'), leave: join(cpu.dir, 'tasks') };
  }

  removeShimGroup(): void {
    removeShimGroupDirs(this.shimGroup());
  }

  usage(id: string): CgroupUsage {
    const mem = this.dir('memory', id);
    const limit = mem ? Number(cgRead(join(mem, 'memory.limit_in_bytes')) ?? NaN) : NaN;
    const acct = this.dir('cpuacct', id);
    const pids = this.dir('pids', id);
    return {
      memoryBytes: mem ? Number(cgRead(join(mem, 'memory.usage_in_bytes')) ?? 0) : 0,
      memoryLimitBytes: Number.isFinite(limit) && limit < 2 ** 62 ? limit : undefined,
      cpuNanos: acct ? Number(cgRead(join(acct, 'cpuacct.usage')) ?? 0) : 0,
      pids: pids ? Number(cgRead(join(pids, 'pids.current')) ?? 0) : 0,
    };
  }

  async setFrozen(id: string, frozen: boolean): Promise<void> {
    const d = this.dir('freezer', id);
    if (!d) return;
    cgWrite(join(d, 'freezer.state'), frozen ? 'FROZEN' : 'THAWED');
    for (let i = 0; i < 1000; i++) {
      const state = cgRead(join(d, 'freezer.state'))?.trim();
      if (state === (frozen ? 'FROZEN' : 'THAWED')) return;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  isFrozen(id: string): boolean {
    const d = this.dir('freezer', id);
    return d !== undefined && cgRead(join(d, 'freezer.state'))?.trim() === 'FROZEN';
  }
}

function inheritCpuset(from: string, to: string): void {
  for (const f of ['cpuset.cpus', 'cpuset.mems']) {
    if ((cgRead(join(to, f)) ?? '').trim() === '') cgWrite(join(to, f), (cgRead(join(from, f)) ?? '').trim());
  }
}

export { cgKey };
