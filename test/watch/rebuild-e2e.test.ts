// berth watch, action rebuild, end to end: a changed file under the rebuild path is built
// into a new image by berth's builder and served by the recreated container; the previous
// image, dangling now, is pruned (--prune, on by default).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../helpers/kernel.js';
import { freePort } from '../helpers/registry.js';
import { httpGet, makeStack, poll, stopRegistry, REPO, type Stack } from '../e2e/harness.js';

if (!skipUnlessKernel('e2e watch rebuild')) {
  let s: Stack | undefined;
  let watcher: ReturnType<Stack['spawn']> | undefined;
  test.after(async () => {
    if (watcher && watcher.exitCode === null) watcher.kill('SIGKILL');
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const webId = async (): Promise<string | undefined> => {
    const r = await s!.berth(['ps', '--format', 'json']);
    return (JSON.parse(r.out || '[]') as { service: string; id: string; state: string }[]).find((x) => x.service === 'web' && x.state === 'running')?.id;
  };

  test('watch rebuild: a change builds the image again and the recreated container serves it', async () => {
    s = await makeStack('watchrebuild', join(REPO, 'fixtures', 'watch-rebuild'));
    const port = await freePort();
    s.env.WEB_PORT = String(port);
    const w = s.spawn(['watch']);
    watcher = w;
    await poll('Watch enabled', () => w.output().includes('Watch enabled') || w.exitCode !== null, 120_000);
    assert.is(w.exitCode, null, w.output());
    const page = (): Promise<string> => httpGet(`http://127.0.0.1:${port}/index.html`);
    await poll('v1 served', async () => (await page()) === 'v1\n');
    const before = await webId();
    assert.ok(before);
    const imageIds = async (): Promise<string[]> => (await s!.berth(['image', 'ls', '-q', '--no-trunc'])).out.split('\n').filter(Boolean).sort();
    const imagesBefore = await imageIds();

    writeFileSync(join(s.dir, 'web', 'index.html'), 'v2\n');
    await poll('v2 served by the rebuilt container', async () => (await page()) === 'v2\n', 120_000);
    const after = await webId();
    assert.ok(after && after !== before, 'the container was recreated');
    await poll('rebuild reported', () => w.output().includes('service(s) ["web"] successfully built and recreated'));
    assert.match(w.output(), /Rebuilding service\(s\) \["web"\] after changes were detected\.\.\./);
    // --prune is on by default: the image the old container ran on is gone, the new one came
    const imagesAfter = await imageIds();
    assert.is(imagesAfter.length, imagesBefore.length, `${imagesBefore.join(' ')} -> ${imagesAfter.join(' ')}`);
    assert.is(imagesBefore.filter((i) => !imagesAfter.includes(i)).length, 1, 'the previous web image was pruned');

    w.kill('SIGINT');
    const code = await poll('watch exits', () => (w.exitCode !== null ? { code: w.exitCode } : undefined), 15_000);
    assert.is(code.code, 0, w.output());
    assert.is((await s.berth(['down', '-t', '1'])).code, 0);
  });

  test.run();
}
