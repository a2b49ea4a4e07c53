// A compose service whose command is not in its image: `up` fails with one line that names
// the container and the reason (as docker compose's "exec: "/nonexistent": ... no such file
// or directory"), no stack trace, and nothing is left running. Before the fix the init
// printed `berth: execve /nonexistent: executable file not found in $PATH` into the
// container's log after the start, and `up -d` reported the service started. The reason is
// printed once (the progress row only says Error).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e bad-command')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up with a command missing from the image: one line naming container and reason, exit 1', async () => {
    s = await makeStack('bad-command');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 1, up.out + up.err);
    const lines = up.err.split('\n').filter((l) => l.startsWith('berth:'));
    assert.equal(lines.length, 1, up.err);
    assert.match(lines[0]!, new RegExp(`^berth: .*container ${s.project}-web-1-[0-9a-f]+: cannot start "/nonexistent": no such file or directory$`));
    assert.is(up.err.split('cannot start').length, 2, `the reason once: ${up.err}`);
    assert.match(up.err, new RegExp(`^ Container ${s.project}-web-1  Error$`, 'm'), up.err);
    assert.not.match(up.err, /^\s+at /m, 'no stack trace');
    const ps = await s.berth(['ps', '--format', '{{.Service}} {{.State}}']);
    assert.not.match(ps.out, /running/, ps.out);
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
