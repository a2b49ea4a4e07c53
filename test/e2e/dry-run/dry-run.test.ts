// `--dry-run` on the real kernel: up and down print their plan and change nothing; then the
// operations up and down execute (BERTH_TRACE=1 marks) are exactly the printed plan's, each
// started after its edges were done (test/helpers/plan-trace.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { traceFromStderr, traceProblems } from '../../helpers/plan-trace.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e dry-run', () => undefined)) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up --dry-run and down --dry-run print the plan, change nothing, and are what up and down then do', async () => {
    s = await makeStack('dry-run');
    const p = s.project;
    assert.is((await s.berth(['pull'])).code, 0);
    // the global flag, before the command
    const plan = await s.berth(['--dry-run', 'up', '-d']);
    assert.is(plan.code, 0, plan.err);
    assert.match(plan.out, new RegExp(`^firewall network ${p}_back <- bridge network ${p}_back$`, 'm'));
    assert.match(plan.out, new RegExp(`^start ${p}-api-1 <- attach ${p}-api-1, firewall network ${p}_back, firewall network ${p}_default, wait db started$`, 'm'));
    const ps = await s.berth(['ps', '-a', '-q']);
    assert.is(ps.out.trim(), '', 'no container made');
    assert.not.match((await s.berth(['network', 'ls', '-q'])).out, new RegExp(p), 'no network made');

    s.env.BERTH_TRACE = '1';
    const up = await s.berth(['up', '-d']);
    delete s.env.BERTH_TRACE;
    assert.is(up.code, 0, up.err);
    assert.equal(traceProblems(plan.out, traceFromStderr(up.err)), []);

    // after the command, as docker compose's
    const downPlan = await s.berth(['down', '-v', '--dry-run']);
    assert.is(downPlan.code, 0, downPlan.err);
    assert.match(downPlan.out, new RegExp(`^remove ${p}-db-1 <- remove network ${p}_back, remove network ${p}_default, stop ${p}-db-1$`, 'm'));
    assert.is((await s.berth(['ps', '-q'])).out.trim().split('\n').length, 3, 'dry run: all three still run');
    // the verbs on existing containers say what they would do, and do nothing (issue 16)
    const stopPlan = await s.berth(['--dry-run', 'stop', 'db']);
    assert.is(stopPlan.code, 0, stopPlan.err);
    assert.match(stopPlan.out, new RegExp(`^stop ${p}-db-1`, 'm'));
    const rmPlan = await s.berth(['rm', '-s', '--dry-run', 'db']);
    assert.is(rmPlan.out, `stop ${p}-db-1\nremove ${p}-db-1\n`);
    assert.is((await s.berth(['ps', '-q'])).out.trim().split('\n').length, 3, 'dry run: all three still run');
    s.env.BERTH_TRACE = '1';
    const down = await s.berth(['down', '-v']);
    delete s.env.BERTH_TRACE;
    assert.is(down.code, 0, down.err);
    assert.equal(traceProblems(downPlan.out, traceFromStderr(down.err)), []);
    // a command that cannot honour it refuses it rather than acting
    const refused = await s.berth(['--dry-run', 'pull']);
    assert.is(refused.code, 2);
    assert.match(refused.err, /--dry-run is not supported/);
  });

  test.run();
}
