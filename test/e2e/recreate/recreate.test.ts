import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e recreate')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const ids = async (): Promise<Record<string, string>> => {
    const r = await s!.berth(['ps', '--format', 'json']);
    return Object.fromEntries((JSON.parse(r.out) as { service: string; id: string }[]).map((x) => [x.service, x.id]));
  };

  test('up twice: only the changed service is recreated; --force-recreate recreates all', async () => {
    s = await makeStack('recreate');
    assert.is((await s.berth(['up', '-d'])).code, 0);
    const first = await ids();
    const same = await s.berth(['up', '-d']);
    assert.is(same.code, 0, same.err);
    assert.equal(await ids(), first, 'nothing changed, nothing recreated');
    assert.match(same.err, /-a-1\s+Running/);
    s.env.MODE = 'two';
    const changed = await s.berth(['up', '-d']);
    assert.is(changed.code, 0, changed.err);
    const second = await ids();
    assert.is(second.a, first.a);
    assert.is.not(second.b, first.b);
    const logs = await s.berth(['logs', 'b']);
    assert.match(logs.out, /mode=two/);
    const forced = await s.berth(['up', '-d', '--force-recreate']);
    assert.is(forced.code, 0, forced.err);
    const third = await ids();
    assert.is.not(third.a, second.a);
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
