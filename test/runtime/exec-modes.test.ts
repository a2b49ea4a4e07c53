// `exec --privileged` in a container that is not privileged, and `exec -d` (the runtime's
// detached exec) in a rootfs without a shell. Real kernel, own roots, ends asserting that
// nothing of berth's is left.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, hostProcesses, skipUnlessKernel, statusField } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer, startContainer } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { execInContainer, spawnExec } from '../../src/runtime/exec.js';
import { execDetached } from '../../src/runtime/exec-detached.js';
import { containerPaths } from '../../src/runtime/layout.js';
import { isBerthError } from '../../src/errors.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

const DEFAULT_CAPEFF = '00000000a80425fb';
const BB = '/bin/busybox-x';

/** A rootfs with a static busybox at /bin/busybox-x and nothing else: no /bin/sh. */
function makeBareRootfs(dir: string): void {
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'bin', 'busybox-x'));
  writeFileSync(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/busybox-x\n');
}

if (!skipUnlessKernel('runtime exec modes', () => (existsSync('/bin/busybox') ? undefined : 'no /bin/busybox (busybox-static)'))) {
  let h!: Harness;
  let bare!: string;
  test.before(() => {
    h = makeHarness('execm');
    bare = join(h.roots.root, '..', 'bare');
    makeBareRootfs(bare);
  });
  test.after(async () => {
    const tag = h.roots.tag;
    await h.teardown();
    assert.equal([...findLeaks(h.roots.root), ...findLeaks(`bth${tag}`)], [], 'nothing left behind');
  });

  test('exec --privileged: every capability and no seccomp for that process only; masks stay', async () => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      const script =
        'cat /proc/self/status; echo ---; cat /proc/1/status; echo ---; stat -c %t,%T /proc/timer_list; wc -c < /proc/timer_list; mount -t tmpfs t /tmp 2>/dev/null && echo mounted || echo refused';
      const priv = await execInContainer(h.rt, id, { args: ['sh', '-c', script], privileged: true });
      assert.is(priv.exitCode, 0, priv.stderr);
      const [self = '', pid1 = '', rest = ''] = priv.stdout.split('---\n');
      // every capability the host lets berth hand out (all of cap_last_cap on a usual host)
      const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
      const full = (((1n << BigInt(last + 1)) - 1n) & BigInt(`0x${statusField(readFileSync('/proc/self/status', 'utf8'), 'CapBnd')}`)).toString(16).padStart(16, '0');
      assert.is(statusField(self, 'CapEff'), full);
      assert.is(statusField(self, 'CapPrm'), full);
      assert.is(statusField(self, 'CapBnd'), full);
      assert.is(statusField(self, 'Seccomp'), '0');
      assert.is(statusField(pid1, 'CapEff'), DEFAULT_CAPEFF, 'pid 1 keeps the default set');
      assert.is(statusField(pid1, 'Seccomp'), '2', 'pid 1 keeps its filter');
      // the container's masked paths are still masked (its mount namespace), but this process may mount
      assert.equal(rest.trim().split('\n'), ['1,3', '0', 'mounted'], rest);
      const plain = await execInContainer(h.rt, id, { args: ['sh', '-c', 'grep -E "^(CapEff|Seccomp):" /proc/self/status; mount -t tmpfs t /root 2>/dev/null && echo mounted || echo refused'] });
      assert.is(statusField(plain.stdout, 'CapEff'), DEFAULT_CAPEFF);
      assert.is(statusField(plain.stdout, 'Seccomp'), '2');
      assert.match(plain.stdout, /refused/);
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test("an EPIPE on the exec's stdin (input after its process stopped reading) is not thrown", async () => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      const { child, exit } = spawnExec(h.rt, id, { args: ['true'], stdin: true });
      // What a key pressed as `berth exec`'s command ends gets: the shim has exited (the pipe has
      // no reader) but Node has not seen it yet. Racy to provoke; the error it raises is not:
      // unhandled, an 'error' event throws (a stack trace on the user's screen, CI 2026-12-07).
      const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' });
      assert.not.throws(() => child.stdin!.emit('error', epipe));
      assert.is(await exit, 0);
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test('exec output is capped while it is read (the process still runs to its end)', async () => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      // 64 MiB on stdout and on stderr, then a marker exit code
      const r = await execInContainer(h.rt, id, { args: ['sh', '-c', 'head -c 67108864 /dev/zero; head -c 67108864 /dev/zero >&2; exit 7'], maxOutputBytes: 4096 });
      assert.is(r.exitCode, 7);
      assert.is(r.stdout.length, 4096);
      assert.is(r.stderr.length, 4096);
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test('exec -d without /bin/sh: the process runs, exec returns at once, it is reaped, stop takes it along', async () => {
    const id = h.nextId();
    // pid 1 is a plain sleep: it reaps nobody, so a zombie would stay if the exec'd process were its child
    await createContainer(h.rt, { id, rootfs: { dir: bare }, process: { args: [BB, 'sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      assert.is((await execInContainer(h.rt, id, { args: [BB, 'test', '-e', '/bin/sh'] })).exitCode, 1, 'no shell in this rootfs');
      await execDetached(h.rt, id, { args: [BB, 'touch', '/made'] });
      await poll('the detached process made its file', async () => (await execInContainer(h.rt, id, { args: [BB, 'test', '-e', '/made'] })).exitCode === 0);
      // a long-running one: returns at once, runs in the container's pid namespace with no parent there
      const t0 = Date.now();
      await execDetached(h.rt, id, { args: [BB, 'sleep', '4242'] });
      assert.ok(Date.now() - t0 < 5000, 'exec -d did not wait for the process');
      const ps = await poll('the detached sleep shows up', async () => {
        const r = await execInContainer(h.rt, id, { args: [BB, 'ps', '-o', 'pid,ppid,stat,args'] });
        return r.stdout.includes('sleep 4242') ? r.stdout : undefined;
      });
      const line = ps.split('\n').find((l) => l.includes('sleep 4242'))!;
      assert.is(line.trim().split(/\s+/)[1], '0', `its parent is outside the container: ${line}`);
      // the process that made the file is gone, not a zombie
      assert.not.match(ps, /\sZ\s/, ps);
      const inCgroup = readFileSync(`/sys/fs/cgroup/pids/berth/${id}/cgroup.procs`, 'utf8').trim().split('\n');
      assert.is(inCgroup.length, 2, `pid 1 and the detached sleep only (no keeper): ${inCgroup.join(',')}`);
      // the output goes nowhere; a command that cannot start is a typed error
      let err: unknown;
      await execDetached(h.rt, id, { args: ['no-such-command'] }).catch((e: unknown) => (err = e));
      assert.ok(isBerthError(err) && err.code === 'runtime/exec-not-found', String(err));
      assert.match((err as Error).message, /cannot start "no-such-command": executable file not found/);
      err = undefined;
      await execDetached(h.rt, id, { args: [BB, 'true'], cwd: '/no/such/dir' }).catch((e: unknown) => (err = e));
      assert.ok(isBerthError(err) && err.code === 'runtime/syscall', String(err));
      assert.match((err as Error).message, /chdir \/no\/such\/dir/);
      // the keeper (host side) lives while the process does
      assert.is(hostProcesses(`${id}/exec-`).length, 1, 'one keeper for the running detached sleep');
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
    await poll('the keeper ended with the container', () => hostProcesses(`${id}/exec-`).length === 0);
    assert.equal(hostProcesses('sleep 4242'), []);
  });

  test('an error deep in the exec path is one typed line naming the step, the path and the errno; nothing is left', async () => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: bare }, process: { args: [BB, 'sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      const { runDir } = containerPaths(h.rt, id);
      const ERRNO = { ENOENT: 2, ENOTDIR: 20 } as const;
      const failures: [string, () => Promise<unknown>, string, keyof typeof ERRNO][] = [
        ['attached', () => execInContainer(h.rt, id, { args: [BB, 'true'], cwd: '/no/such/dir' }), '/no/such/dir', 'ENOENT'],
        ['tty', () => execInContainer(h.rt, id, { args: [BB, 'true'], cwd: '/no/such/dir', tty: true }), '/no/such/dir', 'ENOENT'],
        ['detached', () => execDetached(h.rt, id, { args: [BB, 'true'], cwd: '/no/such/dir' }), '/no/such/dir', 'ENOENT'],
        ['a file', () => execInContainer(h.rt, id, { args: [BB, 'true'], cwd: BB }), BB, 'ENOTDIR'],
        ['detached, a file', () => execDetached(h.rt, id, { args: [BB, 'true'], cwd: BB }), BB, 'ENOTDIR'],
      ];
      for (const [what, run, path, errno] of failures) {
        let err: unknown;
        await run().catch((e: unknown) => (err = e));
        assert.ok(isBerthError(err) && err.code === 'runtime/syscall', `${what}: ${String(err)}`);
        assert.is((err as Error).message, `container ${id}: chdir ${path}: cannot enter the working directory (${errno})`, what);
        assert.equal((err as { data?: unknown }).data, { syscall: 'chdir', errno: ERRNO[errno], path, message: 'cannot enter the working directory' }, what);
      }
      // nothing of the failed execs is left: no shim or keeper, no config file, nobody in the cgroup but pid 1
      assert.equal(hostProcesses(`${id}/exec-`), []);
      assert.equal(existsSync(runDir) ? readdirSync(runDir).filter((f) => f.startsWith('exec-')) : [], []);
      assert.is(readFileSync(`/sys/fs/cgroup/pids/berth/${id}/cgroup.procs`, 'utf8').trim().split('\n').length, 1, 'pid 1 only');
      assert.is((await execInContainer(h.rt, id, { args: [BB, 'true'] })).exitCode, 0, 'the container still takes execs');
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test('exec -d --privileged combine; exec -d in a stopped container is refused', async () => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: bare }, process: { args: [BB, 'sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      await execDetached(h.rt, id, { args: [BB, 'cp', '/proc/self/status', '/status'], privileged: true });
      const out = await poll('the privileged detached process wrote its status', async () => {
        const r = await execInContainer(h.rt, id, { args: [BB, 'cat', '/status'] });
        return r.exitCode === 0 && r.stdout.includes('Seccomp') ? r.stdout : undefined;
      });
      assert.is(statusField(out, 'Seccomp'), '0');
      assert.is.not(statusField(out, 'CapEff'), DEFAULT_CAPEFF);
      assert.is(statusField(out, 'SigIgn'), '0000000000000000', 'no signal ignored by inheritance');
      assert.is(statusField(out, 'PPid'), '0', 'its parent (the keeper) is outside the container');
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
    let err: unknown;
    try {
      await execDetached(h.rt, id, { args: [BB, 'true'] });
    } catch (e) {
      err = e;
    }
    assert.ok(isBerthError(err), String(err));
  });

  test("cgroup v2 (where the host has a cgroup2 hierarchy): exec -d joins the container's v2 cgroup", async () => {
    const v2root = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'].find((c) => existsSync(join(c, 'cgroup.controllers')));
    if (!v2root) return console.log('# skip: no cgroup2 hierarchy');
    const h2 = makeHarness('execm2', { BERTH_CGROUP_ROOT: v2root });
    const id = h2.nextId();
    try {
      await createContainer(h2.rt, { id, rootfs: { dir: bare }, process: { args: [BB, 'sleep', '300'] } });
      await startContainer(h2.rt, id);
      await execDetached(h2.rt, id, { args: [BB, 'sleep', '4343'] });
      const procs = await poll('two processes in the v2 cgroup', () => {
        const p = readFileSync(join(v2root, 'berth', id, 'cgroup.procs'), 'utf8')
          .trim()
          .split('\n');
        return p.length === 2 ? p : undefined;
      });
      assert.ok(
        procs.some((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('4343')),
        procs.join(','),
      );
      await deleteContainer(h2.rt, id, { force: true });
      assert.equal(hostProcesses('sleep 4343'), []);
    } finally {
      const tag = h2.roots.tag;
      await h2.teardown();
      assert.equal(findLeaks(`bth${tag}`), []);
    }
  });

  test('userns auto: exec -d and exec --privileged join the user namespace', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(join(h.roots.root, '..'), 0o711);
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, userns: 'auto', process: { args: ['sleep', '300'] } });
    try {
      await startContainer(h.rt, id);
      await execDetached(h.rt, id, { args: ['sh', '-c', 'cat /proc/self/uid_map > /tmp/m.part; mv /tmp/m.part /tmp/m'] });
      const map = await poll('the detached process wrote its uid map', async () => {
        const r = await execInContainer(h.rt, id, { args: ['cat', '/tmp/m'] });
        return r.exitCode === 0 ? r.stdout : undefined;
      });
      assert.ok(Number(map.trim().split(/\s+/)[1]) >= 65536, map);
      const priv = await execInContainer(h.rt, id, { args: ['sh', '-c', 'cat /proc/self/uid_map; grep Seccomp: /proc/self/status'], privileged: true });
      assert.is(priv.exitCode, 0, priv.stderr);
      assert.is(priv.stdout.split('\n')[0], map.split('\n')[0]);
      assert.match(priv.stdout, /Seccomp:\s+0/);
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test.run();
}
