// berth watch end to end: the real CLI against a private root and the loopback registry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../helpers/kernel.js';
import { makeStack, poll, stopRegistry, REPO, type Stack } from '../e2e/harness.js';

if (!skipUnlessKernel('e2e watch')) {
  let s: Stack | undefined;
  let watcher: ReturnType<Stack['spawn']> | undefined;
  test.after(async () => {
    if (watcher && watcher.exitCode === null) watcher.kill('SIGKILL');
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const cat = async (path: string): Promise<string> => {
    const r = await s!.berth(['exec', '-T', 'box', 'cat', path]);
    return r.code === 0 ? r.out : `<${r.code}>`;
  };

  test('watch: up, initial sync, sync on change and delete, ignore, sync+restart, sync+exec, Ctrl-C', async () => {
    s = await makeStack('watch', join(REPO, 'fixtures', 'watch'));
    const w = s.spawn(['watch']);
    watcher = w;
    await poll('Watch enabled', () => w.output().includes('Watch enabled') || w.exitCode !== null, 60_000);
    assert.is(w.exitCode, null, w.output());
    assert.is(await cat('/app/index.txt'), 'first\n', 'initial_sync copied the file');

    writeFileSync(join(s.dir, 'app', 'index.txt'), 'second\n');
    mkdirSync(join(s.dir, 'app', 'sub', 'deep'), { recursive: true });
    writeFileSync(join(s.dir, 'app', 'sub', 'deep', 'new.txt'), 'new\n');
    writeFileSync(join(s.dir, 'app', 'skip.tmp'), 'ignored\n');
    await poll('second inside the container', async () => (await cat('/app/index.txt')) === 'second\n');
    await poll('new nested file', async () => (await cat('/app/sub/deep/new.txt')) === 'new\n');
    assert.is(await cat('/app/skip.tmp'), '<1>', 'ignored pattern not synced');

    rmSync(join(s.dir, 'app', 'sub', 'deep', 'new.txt'));
    await poll('deletion synced', async () => (await cat('/app/sub/deep/new.txt')) === '<1>');

    // pid 1's start time (field 22 of /proc/1/stat) changes when the container restarts
    const started = async (): Promise<string> => (await cat('/proc/1/stat')).split(' ')[21] ?? '';
    const before = await started();
    writeFileSync(join(s.dir, 'conf', 'app.conf'), 'a=2\n');
    await poll(
      'restart after sync+restart',
      async () => {
        const now = await started();
        return now !== '' && now !== before;
      },
      30_000,
    );
    await poll('synced files present after the restart', async () => (await cat('/conf/app.conf')) === 'a=2\n' && (await cat('/app/index.txt')) === 'second\n');
    assert.is(await cat('/conf/app.conf'), 'a=2\n');
    assert.match(w.output(), /service\(s\) \["box"\] restarted/);

    writeFileSync(join(s.dir, 'hooks', 'h.txt'), 'hi\n');
    await poll('sync+exec ran its command', async () => (await cat('/tmp/hooked')) === 'hi\n');
    await poll('hook output shown', () => w.output().includes('hook ran'));

    w.kill('SIGINT');
    const code = await poll('watch exits', () => (w.exitCode !== null ? { code: w.exitCode } : undefined), 15_000);
    assert.is(code.code, 0, w.output());
    assert.match(w.output(), /Watch disabled/);
    assert.is((await s.berth(['down', '-t', '1'])).code, 0);
  });

  test('watch: a project without develop sections is refused like compose', async () => {
    const dir = join(s!.dir, 'plain');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  x:\n    image: busybox:1.36\n');
    const r = await s!.berth(['--project-directory', dir, '-f', join(dir, 'compose.yaml'), 'watch', '--no-up']);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, /none of the selected services is configured for watch, consider setting a 'develop' section/);
    assert.not.match(r.err, /at .*\.js:\d+/, 'no stack trace');
  });

  test.run();
}
