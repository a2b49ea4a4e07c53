import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capture } from '../helpers/capture.js';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(argv, { stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}

test('--help lists commands and exits 0', async () => {
  const r = await run(['--help']);
  assert.is(r.code, 0);
  assert.match(r.out, /Usage:\s+berth \[OPTIONS\] COMMAND/);
  assert.match(r.out, /config/);
});

test('unknown command: one line, exit 2', async () => {
  const r = await run(['frobnicate']);
  assert.is(r.code, 2);
  assert.match(r.err, /^berth: unknown command: berth frobnicate\n/);
});

test('unknown flag: one line, exit 2', async () => {
  const r = await run(['version', '--nope']);
  assert.is(r.code, 2);
  assert.match(r.err, /unknown flag: --nope/);
  const g = await run(['--nope', 'version']);
  assert.is(g.code, 2);
});

test('command --help shows its flags', async () => {
  const r = await run(['version', '--help']);
  assert.is(r.code, 0);
  assert.match(r.out, /--short/);
});

test('version', async () => {
  const r = await run(['version', '--short']);
  assert.is(r.code, 0);
  assert.match(r.out, /^\d+\.\d+\.\d+\n$/);
});

test('global flags are accepted after the command unless the command shadows them', async () => {
  const bad = await run(['version', '-p', 'x']);
  assert.is(bad.code, 0, 'version inherits -p');
  const both = await run(['version', '--verbose', '--short']);
  assert.is(both.code, 0);
});

const repo = join(import.meta.dirname, '..', '..', '..');
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
  const r = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const [maj, min] = r.stdout.trim().split('.').map(Number);
  return maj! < 22 || (maj === 22 && min! < 15);
});

test('an old Node runs berth on the Node that npm ci installed beside it (skips without one)', () => {
  if (!oldNode) {
    console.log('# skip: no Node older than 22.15 installed');
    return;
  }
  const r = spawnSync(oldNode, [join(repo, 'bin', 'berth'), 'version', '--short'], { encoding: 'utf8' });
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  // its exit status passes through
  const bad = spawnSync(oldNode, [join(repo, 'bin', 'berth'), 'no-such-command'], { encoding: 'utf8' });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^berth: unknown command: berth no-such-command\n/);
});

test('a user other than root gets one line that says how, no stack trace', () => {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), 'ps'], { encoding: 'utf8', uid: 65534, gid: 65534, cwd: '/' });
  if (r.error) {
    console.log(`# skip: cannot run as uid 65534 here: ${r.error.message}`);
    return;
  }
  if (r.stderr.includes('EACCES') && r.stderr.includes('berth')) {
    console.log('# skip: uid 65534 cannot read the checkout');
    return;
  }
  assert.is(r.stderr, 'berth needs root: run it with sudo\n');
  assert.is(r.status, 1);
});

test('exec and run take -it, -t, --tty, -i, -T as docker compose does', async () => {
  for (const cmd of ['exec', 'run']) {
    for (const flags of [['-it'], ['-t'], ['--tty'], ['-i'], ['--interactive'], ['-T'], ['--no-TTY'], ['-i', '-t']]) {
      const r = await run([cmd, ...flags, '--help']);
      assert.is(r.err, '', `${cmd} ${flags.join(' ')}: ${r.err}`);
      assert.is(r.code, 0);
    }
  }
});

test.run();
