import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/main.js';

function capture(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      cb();
    },
  });
  return { stream, text: () => buf };
}

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

test('an old Node gets one clear line, not a link error (skips without one)', () => {
  const old = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    const r = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (r.status !== 0) return false;
    const [maj, min] = r.stdout.trim().split('.').map(Number);
    return maj! < 22 || (maj === 22 && min! < 15);
  });
  if (!old) {
    console.log('# skip: no Node older than 22.15 installed');
    return;
  }
  const r = spawnSync(old, [join(import.meta.dirname, '..', '..', '..', 'bin', 'berth'), 'version'], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /^berth: Node\.js [\d.]+ is too old: berth needs Node\.js 22\.15 or newer\n/);
  assert.not.match(r.stderr, /SyntaxError|at /);
});

test.run();
