import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e readiness')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const firstTry = async (stack: Stack): Promise<string> =>
    poll('client result', async () => {
      const r = await stack.berth(['exec', 'client', 'cat', '/tmp/result']);
      return r.code === 0 ? r.out.trim() : undefined;
    });

  test('without the wait (BERTH_READINESS=off) the client starts before slow listens', async () => {
    s = await makeStack('readiness');
    s.env.BERTH_READINESS = 'off';
    s.env.SLOW_DELAY = '6'; // so that even a slow machine starts the client first
    const up = await s.berth(['up', '-d', 'client']);
    assert.is(up.code, 0, up.err);
    assert.is(await firstTry(s), 'first-try-failed');
    assert.is((await s.berth(['down'])).code, 0);
  });

  test('a dependency that listens only after 1 s is waited for; one that never listens, up to the bound, then with a warning', async () => {
    s!.env.BERTH_READINESS = '4s';
    delete s!.env.SLOW_DELAY;
    const up = await s!.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    assert.is(await firstTry(s!), 'first-try-ok');
    assert.match(up.err, /container \S+-silent-1 does not listen on 9999\/tcp after 4s; counted as started/);
    const lines = up.err.split('\n');
    const afterSilent = lines.findIndex((l) => /Container \S+-after-silent-1\s+Start/.test(l));
    const warned = lines.findIndex((l) => /does not listen on 9999/.test(l));
    assert.ok(warned >= 0 && afterSilent > warned, up.err);
    assert.not.match(up.err, /slow-1 does not listen/);
    assert.is((await s!.berth(['down'])).code, 0);
  });

  test.run();
}
