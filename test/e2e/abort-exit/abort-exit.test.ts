import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e abort-exit')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('--abort-on-container-exit --exit-code-from tester: attached logs, the tester exit code, all stopped', async () => {
    s = await makeStack('abort-exit');
    const r = await s.berth(['up', '--abort-on-container-exit', '--exit-code-from', 'tester'], { timeoutMs: 60_000 });
    assert.is(r.code, 7, `${r.out}\n${r.err}`);
    assert.match(r.out, /tester-1\s+\| pong/);
    const ps = await s.berth(['ps', '-a', '--format', 'json']);
    const rows = JSON.parse(ps.out) as { service: string; state: string }[];
    assert.ok(
      rows.every((x) => x.state === 'exited'),
      ps.out,
    );
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
