import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e start-optional')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const state = async (service: string): Promise<string | undefined> => {
    const r = await s!.berth(['ps', '-a', '--format', 'json']);
    return (JSON.parse(r.out) as { service: string; state: string }[]).find((x) => x.service === service)?.state;
  };

  test('start: a failing and a missing optional dependency only warn; app starts', async () => {
    s = await makeStack('start-optional');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    assert.match(up.err, /optional dependency opt did not become completed/);
    assert.is((await s.berth(['stop', '-t', '1'])).code, 0);
    assert.is((await s.berth(['rm', '-f', 'gone'])).code, 0);
    const start = await s.berth(['start']);
    assert.is(start.code, 0, start.err);
    assert.match(start.err, /service app is missing dependency gone/);
    assert.match(start.err, /optional dependency opt did not become completed: container \S+-opt-1 exited with code 3/);
    assert.is(await state('app'), 'running');
    assert.is((await s.berth(['down', '-t', '1'])).code, 0);
  });

  test.run();
}
