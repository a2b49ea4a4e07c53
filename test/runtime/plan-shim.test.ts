import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capabilityMask, resolveCapabilities } from '../../src/runtime/capabilities.js';
import { containerPaths } from '../../src/runtime/layout.js';
import { checkMountTarget, hostHardLimits, namespaceFlags, planShimConfig, planUlimits, type PlanInput } from '../../src/runtime/plan-shim.js';
import { seccompRecords } from '../../src/runtime/seccomp.js';
import { resolveUser } from '../../src/runtime/user.js';
import { runtimeContext } from '../../src/runtime/context.js';
import type { CgroupPlacement } from '../../src/runtime/cgroups/types.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test("default capabilities are Docker's 14 (CapEff a80425fb)", () => {
  const caps = resolveCapabilities({});
  assert.is(caps.length, 14);
  assert.is(capabilityMask(caps).toString(16), 'a80425fb');
});
test('cap_add / cap_drop / ALL / privileged', () => {
  assert.ok(resolveCapabilities({ capAdd: ['cap_net_admin'] }).includes('NET_ADMIN'));
  assert.not.ok(resolveCapabilities({ capDrop: ['CHOWN'] }).includes('CHOWN'));
  assert.equal(resolveCapabilities({ capDrop: ['ALL'], capAdd: ['KILL'] }), ['KILL']);
  assert.is(resolveCapabilities({ privileged: true, hostMaxCap: 40 }).length, 41);
  assert.throws(() => resolveCapabilities({ capAdd: ['NOPE'] }), /unknown capability/);
});
test('seccomp: an allow-list; mount/unshare/setns only with SYS_ADMIN, clone then unconditional', () => {
  const allowed = (caps: string[]): string[] =>
    seccompRecords(caps)
      .filter((r) => r[0] === 'sc_allow')
      .map((r) => r[1] as string);
  const rules = (caps: string[]): string[] =>
    seccompRecords(caps)
      .filter((r) => r[0] === 'sc')
      .map((r) => (r[1] as unknown[])[0] as string);
  const dflt = allowed(resolveCapabilities({}));
  for (const n of ['read', 'write', 'openat', 'chroot', 'ptrace']) assert.ok(dflt.includes(n), n);
  for (const n of ['mount', 'unshare', 'setns', 'clone', 'clone3', 'keyctl', 'kexec_load', 'io_uring_setup', 'bpf']) assert.not.ok(dflt.includes(n), n);
  assert.equal([...new Set(rules(resolveCapabilities({})))], ['clone', 'clone3', 'personality', 'socket']);
  const admin = resolveCapabilities({ capAdd: ['SYS_ADMIN'] });
  for (const n of ['mount', 'unshare', 'setns', 'clone', 'clone3', 'bpf']) assert.ok(allowed(admin).includes(n), n);
  assert.not.ok(allowed(admin).includes('keyctl'));
  assert.equal([...new Set(rules(admin))], ['personality', 'socket']);
});
test('namespaces: new by default, host skips, path joins', () => {
  const base = { id: 'x', rootfs: { dir: '/r' }, process: { args: ['true'] } };
  assert.is(namespaceFlags(base).clone, 0x7e020000 & ~0x10000000);
  const host = namespaceFlags({ ...base, namespaces: { net: 'host', ipc: { path: '/proc/9/ns/ipc' } } });
  assert.is(host.clone & 0x40000000, 0);
  assert.equal(host.join, ['ipc:/proc/9/ns/ipc']);
});
test('ulimits are clamped to the host hard limit with a warning', () => {
  const hard = hostHardLimits('Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 20000                files\n');
  assert.is(hard.get('nofile'), 20000);
  const p = planUlimits('web', [{ name: 'nofile', soft: 65536, hard: 1048576 }], hard);
  assert.equal(p.records, [['rlimit', [7, '20000', '20000']]]);
  assert.match(p.warnings[0]!, /clamped to the host's hard limit 20000/);
  assert.throws(() => planUlimits('web', [{ name: 'bogus', soft: 1, hard: 1 }], hard), /unknown ulimit/);
});
test('the plan: overlay with the init layer on top, default mounts, masks, devices', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const paths = containerPaths(rt, 'c1');
  const cgroup: CgroupPlacement = {
    joinFiles: ['/cg/memory/berth/c1/tasks'],
    v2Dir: undefined,
    oomFile: '/cg/memory/berth/c1/memory.oom_control',
    oomKey: 'oom_kill',
    dirs: [],
    mounts: [{ name: 'memory', fstype: 'cgroup', options: 'memory' }],
    enforcesDevices: true,
  };
  const recs = planShimConfig({
    config: { id: 'c1', rootfs: { lowerDirs: ['/L1', '/L2'] }, process: { args: ['sh'] }, hostname: 'h' },
    paths,
    lowerDirs: ['/L1', '/L2'],
    caps: resolveCapabilities({}),
    cgroup,
    env: ['PATH=/bin'],
    rlimits: [],
    attach: false,
  });
  const get = (k: string): unknown[] => recs.filter((r) => r[0] === k).map((r) => r[1]);
  assert.equal(get('overlay'), ['lowerdir=/R/containers/c1/init:/L1:/L2,upperdir=/R/containers/c1/upper,workdir=/R/containers/c1/work']);
  const targets = get('mount').map((m) => (m as unknown[])[2]);
  assert.equal(targets.slice(0, 6), ['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys']);
  assert.ok(get('mask').includes('/proc/kcore'));
  assert.ok(get('ro').includes('/proc/sys'));
  assert.is(get('dev').length, 6);
  assert.equal(get('hostname'), ['h']);
  assert.not.ok(recs.some((r) => r[0] === 'rootfs_nodev'));
});
test('a direct rootfs dir: no overlay, the dir is the root, init files bound over its own', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const paths = containerPaths(rt, 'c1');
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: ['/cg/pids/berth/c1'], mounts: [], enforcesDevices: true };
  const config = { id: 'c1', rootfs: { dir: '/D', mode: 'direct' as const }, process: { args: ['sh'] } };
  const recs = planShimConfig({ config, paths, lowerDirs: ['/D'], caps: [], cgroup, env: [], rlimits: [], attach: false });
  const get = (k: string): unknown[] => recs.filter((r) => r[0] === k).map((r) => r[1]);
  assert.equal(get('rootfs'), ['/D']);
  assert.equal(get('overlay'), []);
  const binds = get('mount').filter((m) => (m as unknown[])[0] === 'bind') as unknown[][];
  assert.equal(
    binds.map((m) => [m[1], m[2], m[6]]),
    [
      ['/R/containers/c1/init/etc/hostname', '/etc/hostname', 2],
      ['/R/containers/c1/init/etc/hosts', '/etc/hosts', 2],
      ['/R/containers/c1/init/etc/resolv.conf', '/etc/resolv.conf', 2],
    ],
  );
  // the exec fifo gates the start; no cleanup list unless autoRemove
  assert.equal(get('fifo'), ['/U/containers/c1/exec.fifo']);
  assert.equal(get('autoremove'), [false]);
  assert.equal(get('rm_dir'), []);
  // userns auto keeps the overlay (layers idmapped, never written)
  const un = planShimConfig({ config: { ...config, userns: 'auto' }, paths, lowerDirs: ['/D'], caps: [], cgroup, env: [], rlimits: [], attach: false, userns: { uid: 1, gid: 1, file: '/l' } });
  assert.equal(
    un.filter((r) => r[0] === 'rootfs').map((r) => r[1]),
    ['/R/containers/c1/merged'],
  );
});
/** A plan for container c1 on the dir /D (BERTH_ROOT /R, BERTH_RUN /U) with `extra` on top. */
function planC1(extra: Partial<PlanInput>): ReturnType<typeof planShimConfig> {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: [], mounts: [], enforcesDevices: true };
  return planShimConfig({
    config: { id: 'c1', rootfs: { dir: '/D' }, process: { args: ['sh'] } },
    paths: containerPaths(rt, 'c1'),
    lowerDirs: ['/D'],
    caps: [],
    cgroup,
    env: [],
    rlimits: [],
    attach: true,
    ...extra,
  });
}
test('foreground (berth-shim run): state file instead of the fifo; the cleanup list is always there', () => {
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: ['/cg/pids/berth/c1'], mounts: [], enforcesDevices: true };
  const recs = planC1({ cgroup, foreground: true });
  const get = (k: string): unknown[] => recs.filter((r) => r[0] === k).map((r) => r[1]);
  assert.equal(get('fifo'), []);
  assert.equal(get('statefile'), ['/R/containers/c1/state.json']);
  assert.equal(get('autoremove'), [false]);
  assert.equal(get('rm_cgroup'), ['/cg/pids/berth/c1']);
  assert.equal(get('rm_dir'), ['/R/containers/c1', '/U/containers/c1']);
  // a cgroup the shim makes (v1): mkdirs first, then the writes, in order
  const placement = { ...cgroup, dirs: ['/cg/pids/berth/c1'] };
  const plan = { placement, mkdirs: [['/cg/pids/berth', '/cg/pids/berth/c1']] as const, writes: [['/cg/pids/berth/c1/pids.max', '50', true]] as const };
  const withPlan = planC1({ cgroup: placement, foreground: true, cgroupPlan: plan });
  assert.equal(
    withPlan.filter((r) => r[0].startsWith('cg_')),
    [
      ['cg_mkdir', ['/cg/pids/berth', '/cg/pids/berth/c1']],
      ['cg_write', ['/cg/pids/berth/c1/pids.max', '50', true]],
    ],
  );
});
test("the shims' group: joined by a detached shim, never by the foreground monitor", () => {
  const shimGroup = { parent: '/cg/cpu/berth', dir: '/cg/cpu/berth/berth-shims', join: '/cg/cpu/berth/berth-shims/tasks', leave: '/cg/cpu/tasks' };
  const plan = (foreground: boolean): unknown[] =>
    planC1({ foreground, shimGroup })
      .filter((r) => r[0] === 'shim_cgroup')
      .map((r) => r[1]);
  assert.equal(plan(false), [['/cg/cpu/berth', '/cg/cpu/berth/berth-shims', '/cg/cpu/berth/berth-shims/tasks', '/cg/cpu/tasks']]);
  assert.equal(plan(true), []);
});
test('a sysctl that is not namespaced is refused', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: [], mounts: [], enforcesDevices: false };
  assert.throws(
    () =>
      planShimConfig({
        config: { id: 'c', rootfs: { dir: '/r' }, process: { args: ['sh'] }, sysctls: { 'kernel.panic': '1' } },
        paths: containerPaths(rt, 'c'),
        lowerDirs: ['/r'],
        caps: [],
        cgroup,
        env: [],
        rlimits: [],
        attach: false,
      }),
    /not namespaced/,
  );
});
test('log rotation (max files: the current one and log_keep rotated), no log file, oom_score_adj', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: [], mounts: [], enforcesDevices: false };
  const plan = (extra: object): Map<string, unknown> =>
    new Map(
      planShimConfig({
        config: { id: 'c', rootfs: { dir: '/r' }, process: { args: ['sh'] }, ...extra },
        paths: containerPaths(rt, 'c'),
        lowerDirs: ['/r'],
        caps: [],
        cgroup,
        env: [],
        rlimits: [],
        attach: false,
      }).map((r) => [r[0], r[1]]),
    );
  const dflt = plan({});
  assert.equal([dflt.get('log_max'), dflt.get('log_keep'), dflt.has('oom_score_adj')], [10485760, 1, false]);
  const set = plan({ logMaxBytes: 2048, logMaxFiles: 3, oomScoreAdj: -5 });
  assert.equal([set.get('log_max'), set.get('log_keep'), set.get('oom_score_adj')], [2048, 2, -5]);
  assert.is(plan({ noLog: true }).get('log'), '');
  assert.throws(() => plan({ oomScoreAdj: 1001 }), /oom_score_adj 1001/);
});

test('user names resolve from the image passwd/group', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-user-'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
  writeFileSync(join(dir, 'etc', 'group'), 'root:x:0:\napp:x:1000:\nextra:x:1001:app\n');
  assert.equal(resolveUser([dir], 'app'), { uid: 1000, gid: 1000, additionalGids: [1001] });
  assert.equal(resolveUser([dir], '1000:extra'), { uid: 1000, gid: 1001, additionalGids: [] });
  assert.equal(resolveUser([dir], '4242'), { uid: 4242, gid: 0, additionalGids: [] });
  assert.throws(() => resolveUser([dir], 'nobody'), /unable to find user nobody/);
  assert.throws(() => resolveUser([dir], '4294967295'), /uid 4294967295 is out of range/);
  assert.throws(() => resolveUser([dir], '0:2147483648'), /gid 2147483648 is out of range/);
});
test('user lookups read the image files inside the image: a link out reads nothing of the host, a FIFO is refused', () => {
  const top = mkdtempSync(join(tmpdir(), 'berth-user-top-'));
  const low = mkdtempSync(join(tmpdir(), 'berth-user-low-'));
  const host = mkdtempSync(join(tmpdir(), 'berth-user-host-'));
  writeFileSync(join(host, 'passwd'), 'evil:x:4242:4242::/:/bin/sh\n');
  mkdirSync(join(top, 'etc'));
  mkdirSync(join(low, 'etc'));
  symlinkSync(join(host, 'passwd'), join(top, 'etc', 'passwd'));
  writeFileSync(join(low, 'etc', 'passwd'), 'evil:x:7:7::/:/bin/sh\n');
  assert.throws(() => resolveUser([top, low], 'evil'), /unable to find user evil/, 'the host file is not read (and the link hides the lower file)');
  symlinkSync('/etc/real-passwd', join(top, 'etc', 'real'));
  writeFileSync(join(low, 'etc', 'real-passwd'), 'evil:x:8:8::/:/bin/sh\n');
  rmSync(join(top, 'etc', 'passwd'));
  symlinkSync('real', join(top, 'etc', 'passwd'));
  assert.equal(resolveUser([top, low], 'evil'), { uid: 8, gid: 8, additionalGids: [] }, 'links resolve across layers inside the image');
  execFileSync('mkfifo', [join(top, 'etc', 'group')]);
  assert.throws(() => resolveUser([top, low], 'evil:wheel'), /the image's \/etc\/group is not a regular file; refused/);
  for (const d of [top, low, host]) rmSync(d, { recursive: true, force: true });
});
test('mount targets: absolute, normalised, not / and not in /proc or /sys', () => {
  for (const t of ['/data', '/var/lib/x', '/process', '/system']) checkMountTarget('c', t);
  for (const t of ['data', '/data/', '/a/../b', '/a//b', '/a/./b', '/', '/proc', '/proc/sys', '/sys', '/sys/fs/cgroup']) {
    assert.throws(() => checkMountTarget('c', t), /runtime\/invalid-mount-target|mount target/, t);
  }
});
test('/sys: a fresh sysfs, also with the host network; a read-only rbind only for userns + host network', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: [], mounts: [], enforcesDevices: true };
  const sys = (extra: object, userns?: { uid: number; gid: number; file: string }): unknown[] => {
    const config = { id: 'c', rootfs: { dir: '/r' }, process: { args: ['sh'] }, ...extra };
    const recs = planShimConfig({ config, paths: containerPaths(rt, 'c'), lowerDirs: ['/r'], caps: [], cgroup, env: [], rlimits: [], attach: false, ...(userns ? { userns } : {}) });
    return recs.filter((r) => r[0] === 'mount' && (r[1] as unknown[])[2] === '/sys').map((r) => (r[1] as unknown[]).slice(0, 5));
  };
  const ro = 1 | 2 | 4 | 8;
  assert.equal(sys({}), [['sysfs', 'sysfs', '/sys', ro, 0]]);
  assert.equal(sys({ namespaces: { net: 'host' } }), [['sysfs', 'sysfs', '/sys', ro, 0]]);
  assert.equal(sys({ namespaces: { net: 'host' }, userns: 'auto' }, { uid: 1, gid: 1, file: '/l' }), [['bind', '/sys', '/sys', 4096 | 16384, ro]]);
});
test('uid/gid above 2^31-1 never reach the shim', () => {
  const rt = runtimeContext({ BERTH_ROOT: '/R', BERTH_RUN: '/U' });
  const cgroup: CgroupPlacement = { joinFiles: [], v2Dir: undefined, oomFile: undefined, oomKey: '', dirs: [], mounts: [], enforcesDevices: true };
  for (const user of [
    { uid: 4294967295, gid: 0 },
    { uid: 0, gid: -1 },
    { uid: 1, gid: 1, additionalGids: [2 ** 31] },
  ]) {
    assert.throws(
      () =>
        planShimConfig({
          config: { id: 'c', rootfs: { dir: '/r' }, process: { args: ['sh'], user } },
          paths: containerPaths(rt, 'c'),
          lowerDirs: ['/r'],
          caps: [],
          cgroup,
          env: [],
          rlimits: [],
          attach: false,
        }),
      /is out of range/,
    );
  }
});
test.run();
