import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childProcesses, skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e crash-loop')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('restart: always with growing delays, after the CLI exited (supervisor)', async () => {
    s = await makeStack('crash-loop');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    const status = join(s.roots.root, 'projects', s.project, 'status', `${s.project}-crash-1.json`);
    const restartEvents = (): (string | undefined)[] =>
      readFileSync(join(s!.roots.root, 'projects', s!.project, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { action?: string; container?: string; detail?: string })
        .filter((e) => e.action === 'restarting' && e.container === `${s!.project}-crash-1`)
        .map((e) => e.detail);
    // the supervisor writes the status file, then appends the event: wait for both
    await poll(
      'four restarts',
      () => {
        try {
          return (JSON.parse(readFileSync(status, 'utf8')) as { restarts: number }).restarts >= 4 && restartEvents().length >= 4;
        } catch {
          return false;
        }
      },
      20_000,
    );
    const events = restartEvents();
    assert.equal(events.slice(0, 4), ['in 100 ms', 'in 200 ms', 'in 400 ms', 'in 800 ms']);
    const logs = await s.berth(['logs', 'crash']);
    assert.match(logs.out, /crashing/);
    const stop = await s.berth(['stop', 'crash']);
    assert.is(stop.code, 0, stop.err);
    const before = (JSON.parse(readFileSync(status, 'utf8')) as { restarts: number }).restarts;
    // a stopped container must stay stopped: the supervisor says when it decided so (whether the
    // stop came while crash ran or while it waited out its backoff); its watch of crash ends
    // there and nothing restarts a container stopped by the user, so the count is final then.
    // (Over time, on a fake clock: test/engine/engine.test.ts, "crash loop".)
    const log = join(s.roots.root, 'projects', s.project, 'supervisor.log');
    const decided = new RegExp(`^\\S+ ${s.project}-crash-1: (exited \\(\\d+\\), )?not restarted: stopped by the user`, 'm');
    await poll("the supervisor's decision not to restart crash", () => decided.test(readFileSync(log, 'utf8')), 20_000);
    assert.is((JSON.parse(readFileSync(status, 'utf8')) as { restarts: number }).restarts, before, 'no restart after stop');
    // the restarts' netlink relay (berth-net) is not kept beside the supervisor: no child process
    const supervisor = Number(readFileSync(join(s.roots.root, 'projects', s.project, 'supervisor.pid'), 'utf8').split(' ')[0]);
    assert.equal(childProcesses(supervisor), [], 'the supervisor has no child process');
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
