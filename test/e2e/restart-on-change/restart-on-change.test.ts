// berth watch --restart-on-change: a service with a bind-mounted directory is restarted when
// a file in it changes, once per burst, never for an ignored path (.git, editor temp files);
// a service without one is left alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostProcesses, skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e restart-on-change')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('a change under the bind-mounted directory restarts the service once per burst; ignored paths never', async () => {
    s = await makeStack('restart-on-change');
    const stack = s;
    const starts = async (service: string): Promise<number> => ((await stack.berth(['logs', '--no-color', service])).out.match(/start-\d+/g) ?? []).length;
    // --verbose: the watcher names the paths of each batch it handles ("Changes detected: …")
    const watcher = stack.spawn(['--verbose', 'watch', '--restart-on-change']);
    try {
      await poll('watching', () => watcher.output().includes('Watch enabled'), 60_000);
      assert.match(watcher.output(), /service other has no develop\.watch section and no bind-mounted directory; it is not watched/);
      assert.is(await starts('app'), 1);
      const restarted = (): number => (watcher.output().match(/service\(s\) \["app"\] restarted/g) ?? []).length;

      // a burst: five files at once -> one restart
      for (let i = 0; i < 5; i++) writeFileSync(join(stack.dir, 'data', `f${i}.txt`), `v${i}`);
      await poll('one restart for the burst', () => restarted() === 1, 20_000);
      await poll('the second start in the log', async () => (await starts('app')) === 2, 20_000);

      // ignored paths: .git, editor temp files, then a real change after them. The kernel
      // reports the changes in the order they were made, so by the time the real change's
      // batch is handled, any batch the ignored ones could be in has been handled too:
      // they must be in none, and the real change alone restarts, once.
      const ignoredPaths = [join('.git', 'index'), '.f0.txt.swp', 'f0.txt~'].map((p) => join(stack.dir, 'data', p));
      const batches = (): string[] => watcher.output().match(/^Changes detected: .*$/gm) ?? [];
      const before = batches().length;
      mkdirSync(join(stack.dir, 'data', '.git'), { recursive: true });
      for (const p of ignoredPaths) writeFileSync(p, 'x');
      const seed = join(stack.dir, 'data', 'seed.txt');
      writeFileSync(seed, 'changed');
      await poll('a restart for the real change', () => restarted() === 2, 20_000);
      await poll('the third start in the log', async () => (await starts('app')) === 3, 20_000);
      assert.equal(batches().slice(before), [`Changes detected: ${seed}`], 'the ignored paths reach no batch; the real change is one');
      assert.is(restarted(), 2, 'no restart for ignored paths');
      assert.is(await starts('other'), 1, 'the service without a bind mount was not restarted');
    } finally {
      watcher.kill('SIGINT');
      await new Promise((r) => watcher.once('close', r));
    }
    assert.is((await stack.berth(['down'])).code, 0);
  });

  test('up -d --watch --restart-on-change: the supervisor runs the watcher; down ends it', async () => {
    const stack = s!;
    const compose = join(stack.dir, 'compose.yaml');
    const up = await stack.berth(['-f', compose, 'up', '-d', '--watch', '--restart-on-change']);
    assert.is(up.code, 0, up.err);
    const starts = async (): Promise<number> => ((await stack.berth(['logs', '--no-color', 'app'])).out.match(/start-\d+/g) ?? []).length;
    const watcher = await poll('the supervisor started berth watch', () => hostProcesses(compose).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('watch')), 20_000);
    const before = await starts();
    // the watcher is ready once its "Watch enabled" is in the supervisor's log
    const log = join(stack.roots.root, 'projects', stack.project, 'supervisor.log');
    await poll('watching', () => readFileSync(log, 'utf8').includes('Watch enabled'), 30_000);
    writeFileSync(join(stack.dir, 'data', 'detached.txt'), 'x');
    await poll("a restart by the supervisor's watcher", async () => (await starts()) === before + 1, 30_000);
    assert.is((await stack.berth(['down'])).code, 0);
    await poll('the watcher ended with the supervisor', () => !hostProcesses(compose).includes(watcher), 15_000);
  });

  test.run();
}
