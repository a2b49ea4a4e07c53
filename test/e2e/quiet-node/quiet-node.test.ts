// Nothing from Node reaches the user's screen: the real bin/berth (its bundle run through
// vm.Script, whose dynamic import() makes Node warn) in every mode, and the detached
// supervisor's log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { REPO, makeStack, poll, stopRegistry, type Stack } from '../harness.js';

const NODE_NOISE = /ExperimentalWarning|DeprecationWarning|\(node:\d+\)/;

if (!skipUnlessKernel('e2e quiet-node')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('bin/berth shows no Node warning in any progress mode, nor in the supervisor log', async () => {
    s = await makeStack('quiet-node');
    const stack = s;
    const bin = join(REPO, 'bin', 'berth');
    const run = async (args: string[], progress: string) => {
      const r = await execa(bin, args, { cwd: stack.dir, env: { ...stack.env, BERTH_PROGRESS: progress }, extendEnv: false, reject: false, timeout: 60_000 });
      assert.not.match(r.stderr, NODE_NOISE, `berth ${args.join(' ')} (${progress}): ${r.stderr}`);
      assert.not.match(r.stdout, NODE_NOISE, `berth ${args.join(' ')} (${progress})`);
      return r;
    };
    for (const progress of ['tty', 'plain', 'json', 'quiet']) {
      // attached: the renderer is loaded (ink by a dynamic import for tty), logs stream, Ctrl-C stops
      const up = execa(bin, ['up'], { cwd: stack.dir, env: { ...stack.env, BERTH_PROGRESS: progress }, extendEnv: false, reject: false, all: true });
      let all = '';
      up.all!.on('data', (d: Buffer) => (all += d.toString()));
      await poll(`attached up (${progress}) shows the service log`, () => all.includes('talker-ready'), 30_000);
      up.kill('SIGINT');
      const r = await up;
      assert.not.match(r.all ?? '', NODE_NOISE, `attached up (${progress}): ${r.all}`);
    }
    assert.is((await run(['up', '-d'], 'tty')).exitCode, 0);
    await run(['ps'], 'auto');
    await run(['logs'], 'auto');
    const supervisorLog = readFileSync(join(stack.roots.root, 'projects', stack.project, 'supervisor.log'), 'utf8');
    assert.not.match(supervisorLog, NODE_NOISE, supervisorLog);
    assert.is((await run(['down'], 'tty')).exitCode, 0);
  });

  test.run();
}
