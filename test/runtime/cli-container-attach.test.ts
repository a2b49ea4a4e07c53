// `berth container start -a` (output until the exit, exit code passed through, ^C proxied)
// and `berth container exec -d / --privileged`, through the CLI binary, as root, own roots.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';

const repo = join(import.meta.dirname, '..', '..', '..');
if (!skipUnlessKernel('berth container start -a / exec -d', () => (existsSync(join(repo, 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  const roots = makeTestRoots('cliatt');
  const rootfs = join(roots.root, '..', 'busybox');
  execFileSync(join(repo, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [rootfs]);
  const env = { ...process.env, BERTH_ROOT: roots.root, BERTH_RUN: roots.run };
  const berth = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const name = `bth${roots.tag}`;
  const made: string[] = [];
  const create = (suffix: string, ...args: string[]): string => {
    const c = `${name}-${suffix}`;
    const r = berth('container', 'create', '--name', c, '--rootfs', `${rootfs}:O`, ...args);
    assert.is(r.code, 0, r.err);
    made.push(c);
    return c;
  };
  test.after(() => {
    for (const c of made) berth('container', 'rm', '-f', c);
    const leaks = [...findLeaks(roots.root), ...findLeaks(name)];
    roots.cleanup();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('start -a: stdout and stderr until the exit, the exit code passed through; again on an exited one: only that run', () => {
    const c = create('a', 'sh', '-c', 'cat /count 2>/dev/null; echo x >> /count; echo out; echo err >&2; exit 5');
    const first = berth('container', 'start', '-a', c);
    assert.is(first.code, 5, first.err);
    assert.is(first.out, 'out\n');
    assert.is(first.err, 'err\n');
    const second = berth('container', 'start', '-a', c);
    assert.is(second.code, 5, second.err);
    assert.is(second.out, 'x\nout\n', 'the second run on the same layer, and only its output');
  });

  test('start -a: a lot of output, in order, nothing lost at the exit (no trailing newline either)', () => {
    const c = create('many', 'sh', '-c', 'i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; printf tail');
    const r = berth('container', 'start', '-a', c);
    assert.is(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.is(lines.length, 3001);
    assert.is(lines[0], 'line 0');
    assert.is(lines[2999], 'line 2999');
    assert.is(lines[3000], 'tail');
  });

  test('start -a: ^C goes to the container (sig-proxy), the CLI exits with its code', async () => {
    const c = create('int', 'sh', '-c', "trap 'echo got-int; exit 7' INT; echo ready; while :; do sleep 0.1; done");
    const child = spawn(process.execPath, [join(repo, 'bin', 'berth'), 'container', 'start', '-a', c], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const killOn = (err: unknown): never => {
      child.kill('SIGKILL');
      throw err;
    };
    await poll('the container ready', () => out.includes('ready'), 20_000, 20).catch(killOn);
    child.kill('SIGINT');
    await poll('the CLI to exit after ^C', () => child.exitCode !== null || child.signalCode !== null, 20_000).catch(killOn);
    const code = child.exitCode;
    assert.is(code, 7, out);
    assert.is(out, 'ready\ngot-int\n');
  });

  test('start -a on a --rm container: the exit code survives the shim removing the container', () => {
    for (let i = 0; i < 5; i++) {
      const c = `${name}-rm${i}`;
      assert.is(berth('container', 'create', '--rm', '--name', c, '--rootfs', `${rootfs}:O`, 'sh', '-c', 'echo hi; exit 4').code, 0);
      const r = berth('container', 'start', '-a', c);
      assert.is(r.code, 4, r.err);
      assert.is(r.out, 'hi\n');
      // the shim removes it right after the exit record (bounded poll: it may still be at it)
      let gone = false;
      for (let t = 0; t < 100 && !gone; t++) gone = berth('container', 'inspect', c).code === 1;
      assert.ok(gone, 'removed');
    }
  });

  test('start -a on a running container attaches to what comes next; two containers with -a is a usage error', () => {
    const c = create('run', 'sh', '-c', 'echo before; sleep 1; echo after; exit 3');
    assert.is(berth('container', 'start', c).code, 0);
    const r = berth('container', 'start', '-a', c);
    assert.is(r.code, 3, r.err);
    assert.ok(r.out.endsWith('after\n'), r.out);
    const two = berth('container', 'start', '-a', c, c);
    assert.is(two.code, 2);
    assert.match(two.err, /cannot start and attach multiple containers/);
  });

  test('container exec -d and --privileged', () => {
    const c = create('exec', 'sleep', '300');
    assert.is(berth('container', 'start', c).code, 0);
    const d = berth('container', 'exec', '-d', c, 'touch', '/made');
    assert.is(d.code, 0, d.err);
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) seen = berth('container', 'exec', c, 'test', '-e', '/made').code === 0;
    assert.ok(seen, 'the detached command ran');
    const p = berth('container', 'exec', '--privileged', c, 'grep', 'Seccomp:', '/proc/self/status');
    assert.match(p.out, /Seccomp:\s+0/);
    const missing = berth('container', 'exec', '-d', c, 'no-such-command');
    assert.is(missing.code, 1);
    assert.match(missing.err, /cannot start "no-such-command"/);
  });

  test.run();
}
