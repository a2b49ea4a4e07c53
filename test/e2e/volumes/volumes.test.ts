import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e volumes')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('a named volume survives down and is removed by down -v; binds are relative to the project', async () => {
    s = await makeStack('volumes');
    const data = join(s.roots.root, 'volumes', `${s.project}_data`, '_data', 'count');
    // the writer makes the subpath the reader mounts (it must exist when reader is created)
    assert.is((await s.berth(['up', '-d', '--wait', 'writer'])).code, 0);
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    await poll('first write', () => existsSync(data) && readFileSync(data, 'utf8').trim() === '1');
    const logs = await poll('bind-mounted file read', async () => {
      const r = await s!.berth(['logs']);
      return r.out.includes('hello from a bind mount') ? r.out : undefined;
    });
    assert.ok(logs);
    // reader sees only the subpath's content
    const ls = await poll('reader listed its subpath', async () => {
      const r = await s!.berth(['logs', 'reader']);
      return r.out.includes('inner.txt') ? r.out : undefined;
    });
    assert.not.match(ls, /count/, 'not the whole volume');
    // a symlink planted in the volume is never followed on the host
    const evil = await s.berth(['--profile', 'attack', 'up', '-d', 'evil']);
    assert.is(evil.code, 1, evil.out);
    assert.match(evil.err, /berth: service evil: volume data: subpath "evil" is a symlink; refused/);
    assert.not.match(evil.err, /\n\s+at /);
    assert.is((await s.berth(['--profile', 'attack', 'ps', '-a', '-q', 'evil'])).out.trim(), '', 'no evil container');
    assert.is((await s.berth(['down'])).code, 0);
    assert.ok(existsSync(data), 'volume kept by down');
    assert.is((await s.berth(['up', '-d'])).code, 0);
    await poll('second write', () => readFileSync(data, 'utf8').trim() === '2');
    assert.is((await s.berth(['down', '-v'])).code, 0);
    assert.not.ok(existsSync(join(s.roots.root, 'volumes', `${s.project}_data`)), 'volume removed by down -v');
  });

  test.run();
}
