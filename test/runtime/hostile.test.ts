// Hostile images and configs against the runtime (issue #12, classes 6, 7 and 9): each case
// mounts the attack, asserts that a canary outside the container is untouched and that berth
// answers with a one-line typed error (or the container's own write fails). Real kernel, root.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { makeHarness, safeTest, type Harness } from './harness.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

const isMountpoint = (dir: string): boolean =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === dir);

/** The create's error as one line ('' when the container ran). */
async function refusal(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => '',
    (err: unknown) => String((err as Error).message),
  );
}

if (!skipUnlessKernel('runtime hostile images', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  let h!: Harness;
  const bpf = '/sys/fs/bpf';
  let mountedBpf = false;
  test.before(() => {
    h = makeHarness('hostile');
  });
  test.after(async () => {
    if (mountedBpf) execFileSync('umount', [bpf]);
    await h.teardown();
  });

  /** A layer over the busybox rootfs holding `links` (name -> target) at its root. */
  const layerWith = (name: string, links: Readonly<Record<string, string>>): string => {
    const layer = join(h.roots.root, '..', name);
    mkdirSync(layer, { recursive: true });
    for (const [link, target] of Object.entries(links)) symlinkSync(target, join(layer, link));
    return layer;
  };

  test('6: a host-network container cannot write to filesystems mounted under the host /sys', async () => {
    // bpffs is what systemd mounts at /sys/fs/bpf on most hosts (debugfs, tracefs, configfs alike)
    if (!isMountpoint(bpf)) {
      execFileSync('mount', ['-t', 'bpf', 'bpf', bpf]);
      mountedBpf = true;
    }
    // the container's root must reach its layers when it is an unprivileged host uid (userns)
    chmodSync(join(h.roots.root, '..'), 0o711);
    const canary = `berth-canary-${h.roots.tag}`;
    // plain: a fresh sysfs; userns auto: the host's /sys bound, read-only all the way down
    for (const userns of [undefined, 'auto'] as const) {
      try {
        const r = await h.sh(`mkdir /sys/fs/bpf/${canary} && echo WROTE; awk '$5 ~ /^\\/sys/ { print $5, $6 }' /proc/self/mountinfo`, {
          namespaces: { net: 'host' },
          ...(userns ? { userns } : {}),
        });
        assert.not.match(r.stdout, /WROTE/, `userns ${userns}: the container could write under /sys`);
        assert.not.ok(existsSync(join(bpf, canary)), `userns ${userns}: the container wrote into the host bpffs`);
        if (process.env.BERTH_TEST_TRACE) console.log(userns, r.stdout, r.stderr);
        const mounts = r.stdout.trim().split('\n');
        assert.ok(
          mounts.some((l) => l.startsWith('/sys ')),
          r.stdout + r.stderr,
        );
        for (const l of mounts) if (!l.startsWith('/sys/fs/cgroup')) assert.match(l, / ro(,|$)/, `userns ${userns}: writable: ${l}`);
      } finally {
        if (existsSync(join(bpf, canary))) rmdirSync(join(bpf, canary));
      }
    }
  });

  test('7: a mount target through an image symlink into /proc/sys is refused; sysctls are not redirected', async () => {
    const layer = layerWith('evil-proc', { evil: '/proc/sys/net' });
    const host = join(h.roots.root, '..', 'canary-proc');
    mkdirSync(join(host, 'ipv4'), { recursive: true });
    writeFileSync(join(host, 'ipv4', 'ip_forward'), 'canary');
    const err = await refusal(
      h.sh('cat /proc/sys/net/ipv4/ip_forward', {
        rootfs: { lowerDirs: [layer, h.rootfs] },
        mounts: [{ type: 'bind', source: host, target: '/evil' }],
        sysctls: { 'net.ipv4.ip_forward': '1' },
      }),
    );
    assert.is(readFileSync(join(host, 'ipv4', 'ip_forward'), 'utf8'), 'canary', 'the sysctl write went to the host file');
    assert.match(err, /^runtime\/unsafe-mount-target: container \S+: mount target \/evil resolves into procfs/);
    assert.not.match(err, /\n/);
  });

  test('7: a mount target through an image symlink into /sys is refused', async () => {
    const layer = layerWith('evil-sys', { evil: '/sys/kernel' });
    const err = await refusal(h.sh('true', { rootfs: { lowerDirs: [layer, h.rootfs] }, mounts: [{ type: 'tmpfs', target: '/evil' }] }));
    assert.match(err, /^runtime\/unsafe-mount-target: container \S+: mount target \/evil resolves into sysfs/);
  });

  test('7: mount targets must be absolute and normalised', async () => {
    for (const target of ['data', '/data/../proc/sys', '/proc/sys', '/sys/kernel', '/']) {
      const err = await refusal(h.sh('true', { mounts: [{ type: 'tmpfs', target }] }));
      assert.match(err, /^runtime\/invalid-mount-target: /, `${target}: ${err}`);
    }
  });

  test('9: uid/gid above 2^31-1 are refused (4294967295 would leave the process root)', async () => {
    const host = join(h.roots.root, '..', 'canary-uid');
    mkdirSync(host, { recursive: true });
    chmodSync(host, 0o700);
    for (const user of [
      { uid: 4294967295, gid: 0 },
      { uid: 1000, gid: 4294967295 },
      { uid: 2147483648, gid: 2147483648 },
    ]) {
      const err = await refusal(h.sh('id; touch /data/owned', { process: { args: [], user }, mounts: [{ type: 'bind', source: host, target: '/data' }] }));
      assert.equal(readdirSync(host), [], `uid ${user.uid} gid ${user.gid} wrote as root`);
      assert.match(err, /^runtime\/invalid-user: container \S+: (uid|gid) \d+ is out of range/);
    }
  });

  test('9: the shim refuses such ids itself (a config that bypassed TypeScript)', () => {
    const shim = join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim');
    for (const [key, value] of [
      ['uid', '4294967295'],
      ['gid', '2147483648'],
      ['group', '-1'],
      ['uid', '12x'],
    ]) {
      const conf = join(h.roots.root, '..', `bad-${key}.conf`);
      writeFileSync(conf, `id=bth${h.roots.tag}-bad\0${key}=${value}\0arg=true\0`);
      const r = spawnSync(shim, ['run', conf], { encoding: 'utf8', timeout: 10_000 });
      assert.is(r.status, 1, `${key}=${value}: ${r.stderr}`);
      assert.is(r.stderr, `berth-shim: config ${key}: uid/gid out of range (0 to 2147483647)\n`);
    }
  });

  test('nothing of berth is left on the host', async () => {
    await h.teardown();
    assert.equal(findLeaks(h.roots.tag), []);
    assert.equal(findLeaks(h.roots.root), []);
  });
  test.run();
}
