import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel, findLeaks, stackLinks } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

const POINTS = Number(process.env.BERTH_CRASH_POINTS ?? 20);

function dirEntries(p: string): string[] {
  return existsSync(p) ? readdirSync(p) : [];
}

if (!skipUnlessKernel('e2e crash')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test(`SIGKILL at ${POINTS} random points during up of 10 services; down leaves nothing`, async () => {
    s = await makeStack('crash');
    s.env.CRASH_PORT = String(await freePort());
    // measure one full up (image already pulled by a first up) to spread the kill points over it
    // this stack's links only: other tests' stacks come and go meanwhile
    const links = stackLinks(s.roots.root, [`${s.project}_default`]);
    assert.is((await s.berth(['up', '-d'])).code, 0);
    assert.is(links.left().length, 11, `its bridge and 10 veths are seen: ${links.left().join(' ')}`);
    assert.is((await s.berth(['down', '-t', '1'])).code, 0);
    const t0 = Date.now();
    assert.is((await s.berth(['up', '-d'])).code, 0);
    const upMs = Date.now() - t0;
    links.note();
    assert.is((await s.berth(['down', '-t', '1'])).code, 0);
    // node start-up happens before any kernel work: aim the kills at the whole run
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const outcomes: string[] = [];
    for (let i = 0; i < POINTS; i++) {
      const at = Math.floor(rand() * upMs * 1.1);
      const child = s.spawn(['up', '-d']);
      await new Promise((r) => setTimeout(r, at));
      const killed = child.exitCode === null && child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('close', r)));
      outcomes.push(`${at}ms:${killed ? 'killed' : 'finished'}`);
      // every other time, also kill the supervisor the up may have started
      if (i % 2 === 1) {
        const pidFile = join(s.roots.root, 'projects', s.project, 'supervisor.pid');
        try {
          const pid = Number((await import('node:fs')).readFileSync(pidFile, 'utf8').split(' ')[0]);
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // not started yet
        }
      }
      links.note();
      const down = await s.berth(['down', '-v', '-t', '1']);
      assert.is(down.code, 0, `point ${i} (${outcomes[i]}): down failed: ${down.err}`);
      assert.equal(dirEntries(join(s.roots.root, 'containers')), [], `point ${i} (${outcomes[i]}): containers left`);
      assert.equal(dirEntries(join(s.roots.root, 'projects')), [], `point ${i} (${outcomes[i]}): project state left`);
      await poll('its links gone', () => links.left().length === 0, 10_000).catch(() => undefined);
      assert.equal(links.left(), [], `point ${i} (${outcomes[i]}): links left`);
      assert.equal(findLeaks(s.project), [], `point ${i} (${outcomes[i]}): kernel objects left`);
    }
    console.log(`# crash points: ${outcomes.join(' ')}`);
  });

  test.run();
}
