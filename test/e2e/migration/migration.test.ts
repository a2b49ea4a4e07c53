import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, writeFile, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e migration')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('service_completed_successfully: the app starts after the migration exits 0', async () => {
    s = await makeStack('migration');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    const logs = await poll('app log', async () => {
      const r = await s!.berth(['logs', 'app']);
      return r.out.includes('done') ? r.out : undefined;
    });
    assert.match(logs, /app-1\s+\| done/);
    const ps = await s.berth(['ps', '-a', '--format', 'json']);
    const rows = JSON.parse(ps.out) as { service: string; state: string; exitCode?: number }[];
    assert.equal(rows.find((r) => r.service === 'migrate')?.exitCode, 0);
    assert.is(rows.find((r) => r.service === 'app')?.state, 'running');
    assert.is((await s.berth(['down'])).code, 0);
  });

  test('a failing migration fails the app with the chain named', async () => {
    writeFile(s!.dir, 'compose.override.yaml', 'services:\n  migrate:\n    command: ["sh", "-c", "echo broken; exit 3"]\n');
    const up = await s!.berth(['up', '-d']);
    assert.is(up.code, 1);
    assert.match(up.err, /migrate-1 exited with code 3/);
    const ps = await s!.berth(['ps', '-a', '--format', 'json']);
    const rows = JSON.parse(ps.out) as { service: string; state: string }[];
    assert.is(rows.find((r) => r.service === 'app')?.state, 'created', 'the app never started');
    assert.is((await s!.berth(['down'])).code, 0);
  });

  test.run();
}
