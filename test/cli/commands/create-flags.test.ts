// create and up share the image flags (--build, --no-build, --pull) and their usage errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { main } from '../../../src/main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await main(argv, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  return { code, out, err };
}

for (const verb of ['create', 'up']) {
  test(`${verb}: --build and --no-build are incompatible (exit 2, one line)`, async () => {
    const r = await run([verb, '--build', '--no-build']);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, /--build and --no-build are incompatible/);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
  });

  test(`${verb}: --pull takes always, missing, never or build`, async () => {
    const r = await run([verb, '--pull', 'sometimes']);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, /invalid --pull "sometimes": expected always, missing, never or build/);
  });

  test(`${verb} --help lists --build, --no-build and --pull`, async () => {
    const r = await run([verb, '--help']);
    assert.is(r.code, 0);
    for (const f of ['--build', '--no-build', '--pull']) assert.ok(r.out.includes(f), `${f} in ${r.out}`);
  });
}

test.run();
