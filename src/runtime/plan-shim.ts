// ContainerConfig -> the shim's finished config: every decision is made here (the only side
// effect: a missing bind source is created when create_host_path allows it).
import { BerthError } from '../errors.js';
import { CLONE, MS, type ShimRecord } from '../native/index.js';
import { capabilityMask } from './capabilities.js';
import type { CgroupPlacement, CgroupPlan, ShimGroup } from './cgroups/types.js';
import type { ContainerPaths } from './layout.js';
import { seccompRecords } from './seccomp.js';
import { checkUserIds } from '../util/user-ids.js';
import type { ResolvedDevice } from './devices.js';
import type { ContainerConfig, MountConfig, NamespaceMode, Ulimit } from './types.js';
import { compareText } from '../util/compare.js';
const { mkdirSync, statSync } = process.getBuiltinModule('node:fs');
const { posix } = process.getBuiltinModule('node:path');

export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const DEVICES: readonly [string, number, number][] = [
  ['/dev/null', 1, 3],
  ['/dev/zero', 1, 5],
  ['/dev/full', 1, 7],
  ['/dev/random', 1, 8],
  ['/dev/urandom', 1, 9],
  ['/dev/tty', 5, 0],
];
const S_IFCHR = 0o020000;

const RLIMITS: Readonly<Record<string, number>> = {
  cpu: 0,
  fsize: 1,
  data: 2,
  stack: 3,
  core: 4,
  rss: 5,
  nproc: 6,
  nofile: 7,
  memlock: 8,
  as: 9,
  locks: 10,
  sigpending: 11,
  msgqueue: 12,
  nice: 13,
  rtprio: 14,
  rttime: 15,
};

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Which namespaces the container creates (CLONE_NEW* mask) and which it joins. */
export function namespaceFlags(config: ContainerConfig): { clone: number; join: string[] } {
  const ns = config.namespaces ?? {};
  let clone = CLONE.NEWNS;
  const join: string[] = [];
  const one = (mode: NamespaceMode | undefined, flag: number, name: string): void => {
    if (mode === undefined || mode === 'new') clone |= flag;
    else if (mode !== 'host') join.push(`${name}:${mode.path}`);
  };
  one(ns.pid, CLONE.NEWPID, 'pid');
  one(ns.net, CLONE.NEWNET, 'net');
  one(ns.ipc, CLONE.NEWIPC, 'ipc');
  one(ns.uts, CLONE.NEWUTS, 'uts');
  one(ns.cgroup, CLONE.NEWCGROUP, 'cgroup');
  return { clone, join };
}

/** The current hard limits of this process (rlimits are never raised above them). */
export function hostHardLimits(procLimits: string): Map<string, number> {
  const names: Record<string, string> = { 'Max open files': 'nofile', 'Max processes': 'nproc', 'Max core file size': 'core', 'Max locked memory': 'memlock', 'Max stack size': 'stack' };
  const out = new Map<string, number>();
  for (const line of procLimits.split('\n')) {
    for (const [label, name] of Object.entries(names)) {
      if (!line.startsWith(label)) continue;
      const hard = line.slice(26).trim().split(/\s+/)[1];
      out.set(name, hard === 'unlimited' || hard === undefined ? Infinity : Number(hard));
    }
  }
  return out;
}

/** Clamps ulimits to the host's hard limits (no CAP_SYS_RESOURCE needed); returns warnings. */
export function planUlimits(id: string, ulimits: readonly Ulimit[], hard: Map<string, number>): { records: ShimRecord[]; warnings: string[] } {
  const records: ShimRecord[] = [];
  const warnings: string[] = [];
  for (const u of [...ulimits].sort((a, b) => compareText(a.name, b.name))) {
    const res = RLIMITS[u.name];
    if (res === undefined) throw new BerthError('runtime/invalid-ulimit', `container ${id}: unknown ulimit "${u.name}"`, { hint: `known: ${Object.keys(RLIMITS).sort().join(', ')}` });
    if (u.soft > u.hard) throw new BerthError('runtime/invalid-ulimit', `container ${id}: ulimit ${u.name}: soft limit ${u.soft} is above the hard limit ${u.hard}`);
    const max = hard.get(u.name) ?? Infinity;
    let { soft, hard: h } = u;
    if (h > max) {
      warnings.push(`container ${id}: ulimit ${u.name} ${u.soft}:${u.hard} clamped to the host's hard limit ${max}`);
      h = max;
      soft = Math.min(soft, max);
    }
    const enc = (n: number): string => (n < 0 || !Number.isFinite(n) ? '18446744073709551615' : String(n));
    records.push(['rlimit', [res, enc(soft), enc(h)]]);
  }
  return { records, warnings };
}

const NAMESPACED_SYSCTL = /^(net\.|kernel\.shm|kernel\.msg|kernel\.sem$|fs\.mqueue\.)/;

/**
 * A mount target: absolute, normalised, not `/` and not on /proc or /sys (where a mount
 * would redirect the writes the shim and the kernel make there). The shim checks again,
 * on the resolved path (an image symlink can point anywhere), by filesystem type.
 */
export function checkMountTarget(id: string, target: string): void {
  const why = !target.startsWith('/')
    ? 'is not absolute'
    : posix.normalize(target) !== target || (target.length > 1 && target.endsWith('/'))
      ? 'is not normalised'
      : target === '/'
        ? 'is the root'
        : /^\/(proc|sys)(\/|$)/.test(target)
          ? 'is in /proc or /sys'
          : undefined;
  if (why) throw new BerthError('runtime/invalid-mount-target', `container ${id}: mount target ${JSON.stringify(target)} ${why}`);
}

function mountRecords(m: MountConfig, nodev: boolean): ShimRecord[] {
  if (m.type === 'tmpfs') {
    const data = [`mode=${(m.mode ?? 0o1777).toString(8)}`, ...(m.sizeBytes ? [`size=${m.sizeBytes}`] : [])].join(',');
    return [['mount', ['tmpfs', 'tmpfs', m.target, MS.NOSUID | MS.NODEV | (m.readOnly ? MS.RDONLY : 0), 0, 0, 1, data]]];
  }
  let isDir = true;
  try {
    isDir = statSync(m.source).isDirectory();
  } catch {
    // compose `bind.create_host_path` (default true, as docker compose does for short syntax)
    if (m.createHostPath === false) {
      throw new BerthError('runtime/mount-source', `bind mount source ${m.source} does not exist`, { hint: 'create it first, or set bind.create_host_path' });
    }
    mkdirSync(m.source, { recursive: true });
  }
  const prop = { private: MS.PRIVATE, rprivate: MS.PRIVATE | MS.REC, shared: MS.SHARED, rshared: MS.SHARED | MS.REC, slave: MS.SLAVE, rslave: MS.SLAVE | MS.REC };
  // nodev: no device allow-list in the cgroup (v2 without an eBPF program): binds get nodev too
  const remount = (m.readOnly ? MS.RDONLY : 0) | (nodev ? MS.NODEV : 0);
  return [['mount', ['bind', m.source, m.target, MS.BIND | MS.REC, remount, m.propagation ? prop[m.propagation] : 0, isDir ? 1 : 2, '']]];
}

export interface PlanInput {
  readonly config: ContainerConfig;
  readonly paths: ContainerPaths;
  readonly lowerDirs: readonly string[];
  readonly caps: readonly string[];
  readonly cgroup: CgroupPlacement;
  readonly env: readonly string[];
  readonly rlimits: readonly ShimRecord[];
  readonly attach: boolean;
  /** `userns: auto`: the container's id block; layers become idmapped mounts. */
  readonly userns?: { readonly uid: number; readonly gid: number; readonly file: string } | undefined;
  readonly devices?: readonly ResolvedDevice[];
  /** v1 devices.allow lines; on v2 they become the eBPF filter's rules. */
  readonly deviceRules?: readonly string[];
  /**
   * `berth-shim run`: the CLI process becomes the monitor. No exec fifo (the service starts
   * when ready), the shim writes state.json, and a failed create removes the container's
   * dirs and cgroups (so the rm_* records are always there; `autoremove` says whether the
   * exit removes them too).
   */
  readonly foreground?: boolean;
  /** The cgroup for the shim to make (mkdirs, then writes) before the clone. */
  readonly cgroupPlan?: CgroupPlan | undefined;
  /** The group every shim joins once its container is placed (cgroups/types.ts ShimGroup). */
  readonly shimGroup?: ShimGroup | undefined;
}

/** True when the rootfs dir is the container's root itself (no overlay, no rw layer). */
export function isDirectRootfs(c: ContainerConfig): boolean {
  return 'dir' in c.rootfs && c.rootfs.mode === 'direct' && c.userns !== 'auto';
}

/** The init files bind-mounted over a direct rootfs's own (Docker's way for these three). */
export const INIT_FILES: readonly string[] = ['hostname', 'hosts', 'resolv.conf'];

export function planShimConfig(p: PlanInput): ShimRecord[] {
  const c = p.config;
  checkUserIds(`container ${c.id}`, c.process.user);
  const { clone, join } = namespaceFlags(c);
  const nodev = !p.cgroup.enforcesDevices && !c.privileged;
  const direct = isDirectRootfs(c);
  const layers = [p.paths.init, ...p.lowerDirs];
  // With a user namespace each layer is attached idmapped at <dir>/lower/<n> first.
  const lowers = p.userns ? layers.map((_, i) => `${p.paths.dir}/lower/${i}`) : layers;
  const overlay = `lowerdir=${lowers.join(':')},upperdir=${p.paths.upper},workdir=${p.paths.work}`;
  if (overlay.length > 3900) throw new BerthError('runtime/too-many-layers', `container ${c.id}: too many image layers for one overlay mount`);
  const r: ShimRecord[] = [
    ['id', c.id],
    ...(direct
      ? ([['rootfs', p.lowerDirs[0]!]] as const)
      : ([
          ['rootfs', p.paths.merged],
          ['overlay', overlay],
        ] as const)),
    ...(p.foreground ? ([['statefile', p.paths.state]] as const) : ([['fifo', p.paths.fifo]] as const)),
    ['exitfile', p.paths.exit],
    ['log', c.noLog ? '' : p.paths.log],
    ['log_max', c.logMaxBytes ?? 10 * 1024 * 1024],
    ['log_keep', Math.max(0, (c.logMaxFiles ?? 2) - 1)],
    ['clone', clone],
    ['caps', capabilityMask(p.caps)],
    ['nnp', c.noNewPrivileges ?? true],
    ['seccomp', (c.seccomp ?? 'default') === 'default' && !c.privileged],
    ['readonly', c.readOnly ?? false],
    ['init', c.init ?? false],
    ['stdin', c.process.stdin ?? false],
    ['tty', c.process.tty ?? false],
    ['attach', p.attach],
    ['uid', c.process.user?.uid ?? 0],
    ['gid', c.process.user?.gid ?? 0],
    ['cwd', c.process.cwd ?? '/'],
  ];
  if (c.oomScoreAdj !== undefined) {
    if (!Number.isInteger(c.oomScoreAdj) || c.oomScoreAdj < -1000 || c.oomScoreAdj > 1000)
      throw new BerthError('runtime/invalid-config', `container ${c.id}: oom_score_adj ${c.oomScoreAdj} is not an integer in -1000..1000`);
    r.push(['oom_score_adj', c.oomScoreAdj]);
  }
  if (p.userns) {
    r.push(['userns', true], ['uid_map', `0 ${p.userns.uid} 65536`], ['gid_map', `0 ${p.userns.gid} 65536`]);
    layers.forEach((l, i) => r.push(['idmap', [l, lowers[i]!]]));
  }
  // Docker: the hostname defaults to the short container id (as /etc/hostname says)
  if (clone & CLONE.NEWUTS) r.push(['hostname', c.hostname ?? c.id.slice(0, 12)]);
  if (c.domainname && clone & CLONE.NEWUTS) r.push(['domainname', c.domainname]);
  for (const g of c.process.user?.additionalGids ?? []) r.push(['group', g]);
  for (const a of c.process.args) r.push(['arg', a]);
  for (const e of p.env) r.push(['env', e]);
  for (const j of join) r.push(['ns_join', j]);
  for (const [parent, leaf] of p.cgroupPlan?.mkdirs ?? []) r.push(['cg_mkdir', [parent, leaf]]);
  for (const [file, value, optional] of p.cgroupPlan?.writes ?? []) r.push(['cg_write', [file, value, optional]]);
  if (p.cgroup.v2Dir) r.push(['cgroup_v2_dir', p.cgroup.v2Dir]);
  for (const f of p.cgroup.joinFiles) r.push(['cgroup_join', f]);
  if (p.cgroup.oomFile) r.push(['oom_file', p.cgroup.oomFile], ['oom_key', p.cgroup.oomKey]);
  // Not in the foreground: that monitor is the user's own `container run` process, and with
  // --rm nobody would remove the group after it but itself, which costs its exit a cgroup move
  // (an RCU grace period on v1, 5-28 ms here). A detached autoremove shim pays that after its
  // container's exit is recorded, when nobody waits for it.
  if (p.shimGroup && !p.foreground) r.push(['shim_cgroup', [p.shimGroup.parent, p.shimGroup.dir, p.shimGroup.join, p.shimGroup.leave]]);
  // Mounts as Docker gives them.
  const ro = MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC;
  if (direct) {
    // created in the dir when missing (writes go to a direct rootfs); writable even with readOnly
    for (const f of INIT_FILES) r.push(['mount', ['bind', `${p.paths.init}/etc/${f}`, `/etc/${f}`, MS.BIND, nodev ? MS.NODEV | MS.NOSUID : 0, 0, 2, '']]);
  }
  r.push(['mount', ['proc', 'proc', '/proc', MS.NOSUID | MS.NODEV | MS.NOEXEC, 0, 0, 1, '']]);
  r.push(['mount', ['tmpfs', 'tmpfs', '/dev', MS.NOSUID | MS.STRICTATIME, 0, 0, 1, 'mode=755,size=65536k']]);
  r.push(['mount', ['devpts', 'devpts', '/dev/pts', MS.NOSUID | MS.NOEXEC, 0, 0, 1, 'newinstance,ptmxmode=0666,mode=0620,gid=5']]);
  r.push(['mount', ['tmpfs', 'shm', '/dev/shm', MS.NOSUID | MS.NODEV | MS.NOEXEC, 0, 0, 1, `mode=1777,size=${c.shmSizeBytes ?? 64 * 1024 * 1024}`]]);
  r.push(['mount', ['mqueue', 'mqueue', '/dev/mqueue', MS.NOSUID | MS.NODEV | MS.NOEXEC, 0, 0, 1, '']]);
  // A fresh sysfs (also in the host's or a joined network namespace): nothing mounted under
  // the host's /sys (debugfs, tracefs, bpffs, securityfs) comes along. A user namespace may
  // not mount the sysfs of a network namespace it does not own: there the host's /sys is
  // bound, read-only all the way down (the shim's mount_setattr for a read-only rbind).
  if (clone & CLONE.NEWNET || !p.userns) r.push(['mount', ['sysfs', 'sysfs', '/sys', ro, 0, 0, 1, '']]);
  else r.push(['mount', ['bind', '/sys', '/sys', MS.BIND | MS.REC, ro, 0, 1, '']]);
  for (const m of c.mounts ?? []) {
    checkMountTarget(c.id, m.target);
    r.push(...mountRecords(m, nodev));
  }
  // The cgroup mounts come last: the child waits for its cgroup placement (the monitor's
  // cgroup.procs writes, which can take an RCU grace period on v1) only here.
  if (p.cgroup.mounts.length === 1 && p.cgroup.mounts[0]!.fstype === 'cgroup2') {
    r.push(['mount', ['cgroup2', 'cgroup', '/sys/fs/cgroup', ro, 0, 0, 1, '']]);
  } else if (p.cgroup.mounts.length > 0) {
    r.push(['mount', ['tmpfs', 'tmpfs', '/sys/fs/cgroup', MS.NOSUID | MS.NODEV | MS.NOEXEC, 0, 0, 1, 'mode=755']]);
    for (const m of p.cgroup.mounts) r.push(['mount', ['cgroup', 'cgroup', `/sys/fs/cgroup/${m.name}`, ro, 0, 0, 1, m.options]]);
    r.push(['mount', ['remount', '', '/sys/fs/cgroup', ro, 0, 0, 0, 'mode=755']]);
  }
  for (const [path, major, minor] of DEVICES) r.push(['dev', [path, S_IFCHR | 0o666, major, minor, 0, 0]]);
  for (const d of p.devices ?? []) r.push(['dev', [d.path, d.mode, d.major, d.minor, 0, 0]]);
  for (const [target, path] of [
    ['/proc/self/fd', '/dev/fd'],
    ['/proc/self/fd/0', '/dev/stdin'],
    ['/proc/self/fd/1', '/dev/stdout'],
    ['/proc/self/fd/2', '/dev/stderr'],
    ['pts/ptmx', '/dev/ptmx'],
    ['/proc/kcore', '/dev/core'],
  ] as const) {
    r.push(['symlink', [target, path]]);
  }
  if (!c.privileged) {
    for (const m of MASKED_PATHS) r.push(['mask', m]);
    for (const m of READONLY_PATHS) r.push(['ro', m]);
  }
  for (const [k, v] of Object.entries(c.sysctls ?? {}).sort(([a], [b]) => compareText(a, b))) {
    if (!NAMESPACED_SYSCTL.test(k)) throw new BerthError('runtime/invalid-sysctl', `container ${c.id}: sysctl ${k} is not namespaced and cannot be set per container`);
    if (k.startsWith('net.') && !(clone & CLONE.NEWNET)) throw new BerthError('runtime/invalid-sysctl', `container ${c.id}: sysctl ${k} needs the container's own network namespace`);
    r.push(['sysctl', `${k.replaceAll('.', '/')}=${v}`]);
  }
  r.push(...p.rlimits);
  if ((c.seccomp ?? 'default') === 'default' && !c.privileged) r.push(...seccompRecords(p.caps));
  if (nodev) r.push(['rootfs_nodev', true]);
  if (p.cgroup.deviceFilterDir && !c.privileged) {
    r.push(['devcg_v2', p.cgroup.deviceFilterDir]);
    for (const rule of p.deviceRules ?? []) {
      const m = /^([abc]) (\*|\d+):(\*|\d+) ([rwm]+)$/.exec(rule);
      if (!m) throw new BerthError('runtime/device', `container ${c.id}: invalid device rule "${rule}"`);
      const n = (x: string): number => (x === '*' ? -1 : Number(x));
      r.push(['devrule', [m[1]!, n(m[2]!), n(m[3]!), m[4]!]]);
    }
  }
  r.push(['autoremove', c.autoRemove ?? false]);
  if (c.autoRemove || p.foreground) {
    for (const d of p.cgroup.dirs) r.push(['rm_cgroup', d]);
    r.push(['rm_dir', p.paths.dir], ['rm_dir', p.paths.runDir]);
    if (p.userns) r.push(['rm_dir', p.userns.file]);
  }
  return r;
}
