import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { makeStack, poll, httpGet, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e three-tier')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('front answers through the published port; app starts after db is healthy', async () => {
    s = await makeStack('three-tier');
    const port = await freePort();
    s.env.FRONT_PORT = String(port);
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    const lines = up.err.split('\n');
    const healthy = lines.findIndex((l) => /Container \S+-db-1\s+Healthy/.test(l));
    const appStart = lines.findIndex((l) => /Container \S+-app-1\s+Starting/.test(l));
    assert.ok(healthy >= 0 && appStart > healthy, up.err);
    assert.is((await poll('front answering', () => httpGet(`http://127.0.0.1:${port}/`))).trim(), 'three-tier-ok');
    const ps = await s.berth(['ps']);
    assert.match(ps.out, /-db-1 .*Up .*\(healthy\)/);
    assert.match(ps.out, new RegExp(`0\\.0\\.0\\.0:${port}->80/tcp`));
    const down = await s.berth(['down']);
    assert.is(down.code, 0, down.err);
    const after = await s.berth(['ps', '-a']);
    assert.is(after.out.trim().split('\n').length, 1, 'only the header is left');
  });

  test.run();
}
