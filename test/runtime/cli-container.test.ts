// `berth container ...` end to end through the CLI binary, as root, private roots.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';

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
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), 'container', 'run', '--rm', '-i', '--rootfs', rootfs, 'cat'], { env, input: 'piped\n', encoding: 'utf8' });
    assert.is(r.stdout, 'piped\n');
  });
  test('a missing executable exits 127 with a message', () => {
    const r = berth('container', 'run', '--rm', '--rootfs', rootfs, '/nope');
    assert.is(r.code, 127);
    assert.match(r.err, /\/nope.*not found|No such file/);
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
  test('IMAGE mode: the image\'s Cmd, Env, WorkingDir; -u from its passwd; --entrypoint', () => {
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
