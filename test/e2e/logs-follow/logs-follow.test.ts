import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e logs-follow')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('logs -f keeps following across a restart', async () => {
    s = await makeStack('logs-follow');
    assert.is((await s.berth(['up', '-d'])).code, 0);
    const follower = s.spawn(['logs', '-f', '--no-color']);
    try {
      await poll('first start line', () => (follower.output().match(/start-\d+/g) ?? []).length >= 1);
      const restart = await s.berth(['restart']);
      assert.is(restart.code, 0, restart.err);
      await poll('second start line in the same follower', () => (follower.output().match(/start-\d+/g) ?? []).length >= 2, 20_000);
      assert.match(follower.output(), /ticker-1\s+\| start-/);
    } finally {
      follower.kill('SIGINT');
    }
    await new Promise((r) => follower.once('close', r));
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
