// First contact on a machine with only `gcc libc6-dev` (what the README asks): no zlib1g-dev,
// no libssl-dev. The README's first command, from a clean clone with the machine's own node
// on PATH and a fresh HOME (but npm's cache of the machine): its install half (`npm ci`) runs in a private mount namespace
// this test makes, where zlib's and OpenSSL's headers and static libraries are hidden
// (test/helpers/hide-headers.ts); the rest runs as it is (berth's own mounts stay visible to
// `down` and to the leak check). The install must pass without a warning, the example must
// answer, a real pull of a gzip layer from the loopback registry must unpack with Node
// inflating and hashing, and `down` leaves nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cannotHide, withoutDevFiles } from '../../helpers/hide-headers.js';
import { findLeaks, skipUnlessKernel } from '../../helpers/kernel.js';
import { poll } from '../../helpers/poll.js';
import { startTestRegistry, type TestRegistry } from '../../helpers/registry.js';
import { httpGet, REPO } from '../harness.js';
import { firstCommand, has, noise, userEnv } from './replay.js';

if (!skipUnlessKernel('e2e first contact without zlib/OpenSSL headers', () => (has('git') ? cannotHide() : 'git is needed'))) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-first-contact-nohdr-'));
  const clone = join(dir, 'berth');
  const env = userEnv(dir);
  const example = join(clone, 'examples', 'hello');
  let registry: TestRegistry | undefined;
  let up: ReturnType<typeof spawn> | undefined;
  /** Ctrl-C: SIGINT to the command's process group (gone already: nothing to do). */
  const interrupt = (pid: number): void => {
    try {
      process.kill(-pid, 'SIGINT');
    } catch {}
  };
  const berth = (args: string[], extra: Record<string, string> = {}) => spawnSync(join(clone, 'bin', 'berth'), args, { cwd: example, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });

  test.after(async () => {
    if (up?.exitCode === null) interrupt(up.pid!);
    berth(['down', '-v']);
    await registry?.stop();
    const leaks = findLeaks(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(leaks, [], 'nothing left behind');
  });

  test("the README's first command without zlib's and OpenSSL's headers: installs quietly, the example answers, a gzip layer pulls", async () => {
    execFileSync('git', ['clone', '-q', REPO, clone]);
    const command = firstCommand(readFileSync(join(clone, 'README.md'), 'utf8'));
    const halves = /^(npm ci) && (.+)$/.exec(command);
    assert.ok(halves, `the first command installs with npm ci, then runs: ${command}`);
    const [, install, run] = halves;
    console.log(`# first command: ${command}   (${install} with zlib's and OpenSSL's headers hidden)`);

    const [cmd, ...args] = withoutDevFiles(['zlib', 'openssl'], ['sh', '-c', `cd ${clone} && ${install} 2>&1`]);
    const t0 = Date.now();
    const phase = (what: string): void => console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    // npm's cache is the machine's (first-contact.test.ts replays an empty one): ~30 s less
    const npmCache = { npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm') };
    const installed = spawnSync(cmd!, args, { env: { ...env, ...npmCache }, encoding: 'utf8', timeout: 600_000 });
    assert.is(installed.status, 0, installed.stdout + installed.stderr);
    assert.equal(noise(installed.stdout + installed.stderr), [], 'no warning from npm or the build');
    const can = spawnSync(join(clone, 'native/build/berth-unpack'), ['--capabilities'], { encoding: 'utf8' });
    assert.is(can.stdout, '\n', 'berth-unpack was built without zlib and libcrypto');
    phase('installed');

    // the shell survives the Ctrl-C meant for berth (a caught signal is reset in its children)
    up = spawn('sh', ['-c', `trap true INT\n${run}\necho "EXIT=$?"`], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let screen = '';
    up.stdout!.on('data', (d: Buffer) => (screen += d.toString()));
    up.stderr!.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<void>((resolve) => up!.on('close', () => resolve()));
    const page = await poll('the example answers on :8080', () => httpGet('http://127.0.0.1:8080/').catch(() => undefined), 300_000);
    assert.is(page.trim(), '<h1>Hello from berth</h1>');
    phase('the example answers');

    // a real gzip layer from the loopback registry: Node inflates and hashes, berth-unpack unpacks
    registry = await startTestRegistry();
    const pulled = berth(['image', 'pull', 'busybox:1.36'], { ...registry.mirrorEnv, BERTH_TRACE: '1' });
    assert.is(pulled.status, 0, pulled.stderr);
    assert.match(pulled.stderr, /inflated and hashed in Node \(berth-unpack can: neither\)/);
    const group = berth(['container', 'run', '--rm', 'busybox:1.36', 'cat', '/etc/group']);
    assert.is(group.status, 0, group.stderr);
    assert.match(group.stdout, /^root:x:0:/);
    phase('pulled and ran busybox');

    interrupt(up.pid!);
    await exited;
    phase('up ended');
    assert.match(screen, /EXIT=(0|130)\n/, 'up ended after Ctrl-C');
    assert.equal(noise(screen), [], 'no warning on the screen');
    assert.is(berth(['ps', '-q']).stdout.trim(), '', 'nothing runs');
    const down = berth(['down']);
    assert.is(down.status, 0, down.stderr);
    assert.is(berth(['image', 'rm', 'busybox:1.36']).status, 0);
    phase('down');
  });

  test.run();
}
