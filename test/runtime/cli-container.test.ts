// `berth container ...` end to end through the CLI binary, as root, private roots.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';

const repo = join(import.meta.dirname, '..', '..', '..');
if (!skipUnlessKernel('berth container CLI', () => (existsSync(join(repo, 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  const roots = makeTestRoots('cli');
  const rootfs = join(roots.root, '..', 'busybox');
  execFileSync(join(repo, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [rootfs]);
  const env = { ...process.env, BERTH_ROOT: roots.root, BERTH_RUN: roots.run };
  const berth = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), ...args], { env, encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const name = `bth${roots.tag}`;
  test.after(() => {
    berth('container', 'rm', '-f', name);
    roots.cleanup();
  });

  test('run --rm: output, exit code, nothing left', () => {
    const r = berth('container', 'run', '--rm', '--rootfs', rootfs, '-e', 'A=1', '-w', '/tmp', '--hostname', 'h1', 'sh', '-c', 'echo $A $(pwd) $(hostname); exit 3');
    assert.is(r.out, '1 /tmp h1\n');
    assert.is(r.code, 3);
    const left = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
    assert.equal(left, []);
  });
  test('-u and -v bind', () => {
    const r = berth('container', 'run', '--rm', '--rootfs', rootfs, '-u', 'app', '-v', `${rootfs}/etc:/hostetc:ro`, 'sh', '-c', 'id -u; id -G; ls /hostetc/passwd');
    assert.is(r.out, '1000\n1000 1001\n/hostetc/passwd\n', r.err);
  });
  test('--network host shares the host netns; none gets only lo', () => {
    const host = berth('container', 'run', '--rm', '--rootfs', rootfs, '--network', 'host', 'readlink', '/proc/self/ns/net');
    assert.is(host.out.trim(), execFileSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }).trim());
    const none = berth('container', 'run', '--rm', '--rootfs', rootfs, 'ls', '/sys/class/net');
    assert.is(none.out.trim(), 'lo');
  });
  test('-t gives a pty (CRLF, 24x80); -i passes stdin', () => {
    const t = berth('container', 'run', '--rm', '-t', '--rootfs', rootfs, 'sh', '-c', '[ -t 1 ] && echo tty; stty size');
    assert.is(t.out, 'tty\r\n24 80\r\n');
    // Docker gives a tty container its pty as /dev/console too (none without -t)
    assert.is(berth('container', 'run', '--rm', '-t', '--rootfs', rootfs, 'sh', '-c', '[ -c /dev/console ] && echo hi > /dev/console').out, 'hi\r\n');
    assert.is(berth('container', 'run', '--rm', '--rootfs', rootfs, 'sh', '-c', '[ -e /dev/console ] || echo none').out, 'none\n');
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), 'container', 'run', '--rm', '-i', '--rootfs', rootfs, 'cat'], { env, input: 'piped\n', encoding: 'utf8' });
    assert.is(r.stdout, 'piped\n');
  });
  test('a command that cannot start: one line naming the container and the reason, 127 (not found) or 126 (cannot run), nothing left', () => {
    const cases: [string[], number, RegExp][] = [
      [['/nope'], 127, /^berth: container \w+: cannot start "\/nope": no such file or directory\n$/],
      [['nope'], 127, /^berth: container \w+: cannot start "nope": executable file not found in \$PATH\n$/],
      [['-w', '/bin', './nope'], 127, /^berth: container \w+: cannot start "\.\/nope": no such file or directory\n$/],
      [['/tmp'], 126, /^berth: container \w+: cannot start "\/tmp": is a directory\n$/],
      [['/etc/passwd'], 126, /^berth: container \w+: cannot start "\/etc\/passwd": permission denied\n$/],
      [['-w', '/etc/passwd', 'true'], 127, /^berth: container \w+: chdir \/etc\/passwd: cannot enter the working directory \(ENOTDIR\)\n$/],
    ];
    for (const [args, code, message] of cases) {
      const r = berth('container', 'run', '--rm', '--rootfs', rootfs, ...args);
      assert.is(r.code, code, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
    // detached: the create fails with the same line (exec-not-found, exec-denied), exit 1; so
    // does a failure past the start gate (it comes back over the exec fifo: runtime/gate.ts)
    for (const [args, line] of [
      [['/nope'], 'cannot start "/nope": no such file or directory'],
      [['/etc/passwd'], 'cannot start "/etc/passwd": permission denied'],
      [['-w', '/etc/passwd', 'true'], 'chdir /etc/passwd: cannot enter the working directory (ENOTDIR)'],
    ] as const) {
      const d = berth('container', 'run', '-d', '--rm', '--rootfs', rootfs, ...args);
      assert.is(d.code, 1, d.err);
      assert.is(d.err.replace(/container \w+:/, 'container ID:'), `berth: container ID: ${line}\n`);
    }
    assert.equal(existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [], []);
  });
  test('--rootfs DIR is used directly (podman): writes land in DIR, init files are bound over its own', () => {
    const r = berth('container', 'run', '--rm', '--rootfs', rootfs, '--hostname', 'direct1', 'sh', '-c', 'echo w > /bth-direct; cat /etc/hostname; grep -c direct1 /etc/hosts');
    assert.is(r.code, 0, r.err);
    assert.is(r.out, 'direct1\n1\n');
    assert.is(readFileSync(join(rootfs, 'bth-direct'), 'utf8'), 'w\n');
    assert.not.match(readFileSync(join(rootfs, 'etc', 'hostname'), 'utf8'), /direct1/, "the rootfs's own /etc/hostname is not written");
    rmSync(join(rootfs, 'bth-direct'));
    const ro = berth('container', 'run', '--rm', '--read-only', '--rootfs', rootfs, 'sh', '-c', 'touch /x 2>&1; echo h > /etc/hosts && echo hosts-writable');
    assert.match(ro.out, /Read-only file system/);
    assert.match(ro.out, /hosts-writable/);
    assert.not.ok(existsSync(join(rootfs, 'x')));
  });
  test('attached run: limits in the cgroup the shim makes (v1) or the runtime makes (v2, cpuset)', () => {
    const r = berth(
      'container',
      'run',
      '--rm',
      '--rootfs',
      rootfs,
      '--memory',
      '32m',
      '--pids-limit',
      '50',
      'sh',
      '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max',
    );
    assert.is(r.out, '33554432\n50\n', r.err);
    const cs = berth('container', 'run', '--rm', '--rootfs', rootfs, '--cpuset-cpus', '0', 'sh', '-c', 'cat /sys/fs/cgroup/cpuset/cpuset.cpus 2>/dev/null || cat /sys/fs/cgroup/cpuset.cpus');
    assert.is(cs.out, '0\n', cs.err);
  });
  test('--rootfs DIR:O puts an overlay over DIR: DIR stays unchanged', () => {
    const r = berth('container', 'run', '--rm', '--rootfs', `${rootfs}:O`, 'sh', '-c', 'echo w > /bth-ovl; cat /bth-ovl; grep " / " /proc/mounts | cut -d" " -f3');
    assert.is(r.out, 'w\noverlay\n', r.err);
    assert.not.ok(existsSync(join(rootfs, 'bth-ovl')));
  });
  test('attached run: the CLI becomes the monitor; state on disk for other commands, ^C forwarded', async () => {
    const fg = `${name}-fg`;
    const child = spawn(
      process.execPath,
      [join(repo, 'bin', 'berth'), 'container', 'run', '--name', fg, '--rootfs', rootfs, 'sh', '-c', 'trap "echo got-int; exit 7" INT; echo ready; while :; do sleep 0.1; done'],
      { env },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await poll('the foreground container to say ready', () => out.includes('ready'), 5000).catch(() => undefined);
    assert.match(out, /ready/);
    assert.match(berth('container', 'ls').out, new RegExp(`Up .*${fg}\\s*$`, 'm'));
    const ex = berth('container', 'exec', fg, 'sh', '-c', 'echo inside');
    assert.is(ex.out, 'inside\n', ex.err);
    child.kill('SIGINT');
    assert.is(await exited, 7);
    assert.match(out, /got-int/);
    const inspect = JSON.parse(berth('container', 'inspect', fg).out) as { status: string; exitCode: number }[];
    assert.is(inspect[0]!.status, 'exited');
    assert.is(inspect[0]!.exitCode, 7);
    assert.is(berth('container', 'rm', fg).code, 0);
  });
  test('create, start, wait; start again runs an exited container on its layer', () => {
    const c = `${name}-cw`;
    const cr = berth('container', 'create', '--name', c, '--rootfs', `${rootfs}:O`, 'sh', '-c', 'cat /count 2>/dev/null; echo x >> /count; exit 4');
    assert.is(cr.out, `${c}\n`, cr.err);
    assert.match(berth('container', 'ls', '-a').out, new RegExp(`Created\\s+${c}`));
    assert.is(berth('container', 'start', c).code, 0);
    assert.is(berth('container', 'wait', c).out, '4\n');
    assert.is(berth('container', 'start', c).code, 0);
    assert.is(berth('container', 'wait', c).out, '4\n');
    assert.is(berth('container', 'logs', c).out, 'x\n', "the second run sees the first run's write");
    assert.is(berth('container', 'rm', c).code, 0);
    assert.is(berth('container', 'wait', c).code, 1);
  });
  test('a create that fails in the shim: one clear line, exit 1, nothing left (with and without --rm)', () => {
    // in the container's init (a mount), and in the monitor (a cgroup limit the kernel refuses)
    const cases: [string[], RegExp][] = [
      [['--tmpfs', '/bin/busybox/bth'], /^berth: container \w+: openat2 \/bin\/busybox\/bth: cannot resolve the mount target inside the rootfs \(ENOTDIR\)/],
      [['--memory', '32m', '--memory-swap', '1m'], /^berth: container \w+: write \/\S+memory\.memsw\.limit_in_bytes: 1048576 \(EINVAL\)/],
    ];
    for (const [flags, message] of cases) {
      for (const rm of [['--rm'], []]) {
        const r = berth('container', 'run', ...rm, '--rootfs', rootfs, ...flags, 'true');
        assert.is(r.code, 1, r.err);
        assert.match(r.err, message);
        assert.is(r.err.trim().split('\n').length, 1, r.err);
        const left = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
        assert.equal(left, []);
      }
    }
  });
  test('a missing shim: a clear error, exit 1, nothing left (attached and -d)', () => {
    for (const d of [[], ['-d']]) {
      const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), 'container', 'run', ...d, '--rootfs', rootfs, 'true'], {
        env: { ...env, BERTH_SHIM: join(roots.root, 'no-shim') },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.is(r.status, 1, r.stderr);
      assert.match(r.stderr, /^berth: container \w+: cannot start the shim: .*ENOENT/);
      const left = existsSync(join(roots.root, 'containers')) ? readdirSync(join(roots.root, 'containers')) : [];
      assert.equal(left, []);
    }
  });
  test('usage mistakes exit 2 with one line, no stack', () => {
    const r = berth('container', 'run', '--rootfs', rootfs, '-v', 'relative:/x', 'true');
    assert.is(r.code, 2);
    assert.not.match(r.err, /at .*\.js/);
    assert.is(berth('container', 'run').code, 2);
    assert.is(berth('container', 'run', '--pull', 'never', 'bth-nosuch:1', 'true').code, 1);
  });
  test('-d, ls, exec, logs, stats, pause/unpause, stop, rm', () => {
    const d = berth('container', 'run', '-d', '--name', name, '--rootfs', rootfs, '--memory', '32m', 'sh', '-c', 'echo up; trap "exit 0" TERM; while :; do sleep 0.1; done');
    assert.is(d.code, 0, d.err);
    assert.is(d.out.trim(), name);
    assert.match(berth('container', 'ls').out, new RegExp(`${name}\\s*$`, 'm'));
    assert.is(berth('container', 'exec', '-t', name, 'sh', '-c', '[ -t 1 ] && echo tty').out, 'tty\r\n');
    const ex = berth('container', 'exec', name, 'sh', '-c', 'echo in; exit 5');
    assert.is(ex.out, 'in\n');
    assert.is(ex.code, 5);
    assert.match(berth('container', 'stats', name).out, /32\.0MiB/);
    assert.is(berth('container', 'pause', name).code, 0);
    assert.match(berth('container', 'ls').out, /Paused/);
    assert.is(berth('container', 'unpause', name).code, 0);
    assert.match(berth('container', 'logs', name).out, /^up$/m);
    assert.is(berth('container', 'rm', name).code, 1, 'rm of a running container must fail without -f');
    assert.is(berth('container', 'stop', '-t', '5', name).code, 0);
    const inspect = JSON.parse(berth('container', 'inspect', name).out) as { status: string; exitCode: number }[];
    assert.is(inspect[0]!.status, 'exited');
    assert.is(inspect[0]!.exitCode, 0);
    assert.is(berth('container', 'rm', name).code, 0);
    assert.is(berth('container', 'rm', name).code, 1);
  });
  test("IMAGE mode: the image's Cmd, Env, WorkingDir; -u from its passwd; --entrypoint", () => {
    const tar = join(roots.root, '..', 'bb.tar');
    execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
    const imp = berth('image', 'import', '-c', 'CMD ["sh","-c","echo $FOO $(pwd)"]', '-c', 'ENV FOO=bar', '-c', 'WORKDIR /tmp', tar, `bth${roots.tag}:img`);
    assert.is(imp.code, 0, imp.err);
    assert.is(berth('container', 'run', '--rm', `bth${roots.tag}:img`).out, 'bar /tmp\n');
    assert.is(berth('container', 'run', '--rm', '-u', 'app', `bth${roots.tag}:img`, 'id', '-u').out, '1000\n');
    assert.is(berth('container', 'run', '--rm', '--entrypoint', 'echo', `bth${roots.tag}:img`, 'hi').out, 'hi\n');
  });
  test('nothing of berth is left on the host', () => {
    assert.equal(findLeaks(roots.tag), []);
    assert.equal(findLeaks(roots.root), []);
  });
  test.run();
}
