// Failures only the service's exec can tell (past the start gate: the user may not execute
// the file, the working directory is a file, the #! interpreter is missing): `up -d`, `up`
// and `start` fail with one line naming the container and the reason, exit 1, as for a
// command missing from the image (test/e2e/bad-command). Before the fix they reached only
// the container's log: `up -d` exited 0 reporting the service "Started", `start` too, and
// attached `up` showed the line as the container's output and exited 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { pushTestImage } from '../../helpers/registry.js';
import { makeStack, sharedRegistry, stopRegistry, type Result, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e exec-error')) {
  let s: Stack | undefined;
  test.before(async () => {
    const mtime = 1700000000;
    await pushTestImage(await sharedRegistry(), 'library/execerr:1', {
      extra: [
        { name: 'srv/', type: 'directory', mode: 0o755, mtime },
        { name: 'srv/root-only', type: 'file', mode: 0o700, mtime, data: '#!/bin/sh\necho ran\n' },
        { name: 'srv/no-interpreter', type: 'file', mode: 0o755, mtime, data: '#!/nonexistent/sh\n' },
      ],
    });
    s = await makeStack('exec-error');
  });
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  /** Exit 1, one `berth:` line naming the service's container with the reason, the reason once, no stack trace. */
  const failsWithOneLine = (r: Result, service: string, reason: string): void => {
    assert.is(r.code, 1, r.out + r.err);
    const lines = r.err.split('\n').filter((l) => l.startsWith('berth:'));
    assert.equal(lines.length, 1, r.err);
    assert.is(lines[0]!.replace(/-[0-9a-f]+: /, ': '), `berth: container ${s!.project}-${service}-1: ${reason}`, r.err);
    assert.is(r.err.split(reason).length, 2, `the reason once: ${r.err}`);
    assert.not.match(r.err, /^\s+at /m, 'no stack trace');
  };
  const notRunning = async (service: string): Promise<void> => {
    const ps = await s!.berth(['ps', '-a', '--format', '{{.Service}} {{.State}}']);
    assert.match(ps.out, new RegExp(`^${service} exited$`, 'm'), ps.out);
  };

  test('up -d: a user who may not execute the command', async () => {
    failsWithOneLine(await s!.berth(['up', '-d', 'denied']), 'denied', 'cannot start "/srv/root-only": permission denied');
    await notRunning('denied');
  });

  test('up -d, then start: a working directory that is a file', async () => {
    const reason = 'chdir /etc/passwd: cannot enter the working directory (ENOTDIR)';
    failsWithOneLine(await s!.berth(['up', '-d', 'badcwd']), 'badcwd', reason);
    failsWithOneLine(await s!.berth(['start', 'badcwd']), 'badcwd', reason);
    await notRunning('badcwd');
  });

  test('attached up, and create + start: a missing #! interpreter under init: true', async () => {
    const reason = 'cannot start "/srv/no-interpreter": no such file or directory';
    const up = await s!.berth(['up', 'nointerp']);
    failsWithOneLine(up, 'nointerp', reason);
    assert.match(up.err, /hint: .*interpreter/, up.err);
    assert.is((await s!.berth(['down'])).code, 0);
    assert.is((await s!.berth(['create', 'nointerp'])).code, 0);
    failsWithOneLine(await s!.berth(['start', 'nointerp']), 'nointerp', reason);
  });

  test('up -d: a user the image lacks (found before the create): the same one line, the reason once', async () => {
    const up = await s!.berth(['up', '-d', 'nouser']);
    assert.is(up.code, 1, up.err);
    assert.equal(
      up.err.split('\n').filter((l) => l.includes('nosuchuser')),
      [`berth: service nouser: user "nosuchuser" not found in the image's /etc/passwd`],
    );
  });

  test('a service that execs is started as before (init: true holds the gate in two processes)', async () => {
    const up = await s!.berth(['up', '-d', 'ok']);
    assert.is(up.code, 0, up.err);
    const ps = await s!.berth(['ps', '--format', '{{.Service}} {{.State}}']);
    assert.match(ps.out, /^ok running$/m, ps.out);
    assert.is((await s!.berth(['down', '-t', '1'])).code, 0);
  });

  test.run();
}
