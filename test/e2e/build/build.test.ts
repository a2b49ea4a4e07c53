import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { freePort } from '../../helpers/registry.js';
import { httpGet, makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e build')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const ids = async (): Promise<Record<string, string>> => {
    const r = await s!.berth(['ps', '--format', 'json']);
    return Object.fromEntries((JSON.parse(r.out) as { service: string; id: string }[]).map((x) => [x.service, x.id]));
  };

  test('compose build: up -d --build runs the built images; a rebuild hits the cache and recreates nothing', async () => {
    s = await makeStack('build');
    const port = await freePort();
    s.env.WEB_PORT = String(port);
    const missing = await s.berth(['up', '-d', '--no-build']);
    assert.is.not(missing.code, 0, 'nothing built yet and --no-build');
    assert.match(missing.err, /has not been built/);
    const up = await s.berth(['up', '-d', '--build'], { timeoutMs: 120_000 });
    assert.is(up.code, 0, up.err);
    assert.match(up.err, /Built/);
    const page = await poll('the built web page', async () => {
      const t = await httpGet(`http://127.0.0.1:${port}/index.html`);
      return t.includes('built-by-berth') ? t : undefined;
    });
    assert.is(page.trim(), '<p>built-by-berth</p>');
    const note = await s.berth(['exec', '-T', 'note', 'cat', '/note.txt']);
    assert.is(note.out.trim(), 'inline-note');
    const images = await s.berth(['image', 'ls']);
    assert.match(images.out, new RegExp(`${s.project}-web`));
    assert.match(images.out, /example\/note/);
    const first = await ids();
    const again = await s.berth(['up', '-d', '--build']);
    assert.is(again.code, 0, again.err);
    assert.equal(await ids(), first, 'same image ids from the cache: nothing recreated');
    const build = await s.berth(['build', 'web']);
    assert.is(build.code, 0, build.err);
    assert.match(build.err, /CACHED/);
    const noBuild = await s.berth(['up', '-d', '--no-build']);
    assert.is(noBuild.code, 0, noBuild.err);
    const other = await s.berth(['build', '--build-arg', 'GREETING=other', 'web']);
    assert.is(other.code, 0, other.err);
    assert.match(other.err, /\[4\/7\] CACHED COPY index.html/, 'a changed ARG misses the cache only where it is used');
    assert.match(other.err, /\[5\/7\] RUN sed/);
    assert.is((await s.berth(['up', '-d'])).code, 0);
    const after = await ids();
    assert.is.not(after.web, first.web, 'a new image recreates the service');
    assert.is(after.note, first.note);
    await poll('the rebuilt page', async () => (await httpGet(`http://127.0.0.1:${port}/index.html`)).includes('other'));
    assert.is((await s.berth(['down'])).code, 0);
    assert.is((await s.berth(['image', 'rm', 'example/note:dev'])).code, 0);
    assert.is((await s.berth(['up', '-d', 'web'])).code, 0, 'web only: its image is there, nothing built');
    const run = await s.berth(['run', '--rm', 'note', 'cat', '/note.txt'], { timeoutMs: 120_000 });
    assert.is(run.code, 0, run.err);
    assert.is(run.out.trim(), 'inline-note', 'run builds a missing image first');
    assert.match(run.err, /Image example\/note:dev\s+Built/);
    assert.is((await s.berth(['down'])).code, 0);
  });

  test('compose create --build / --no-build / --pull: built and created, nothing started', async () => {
    const st = s!;
    assert.is((await st.berth(['image', 'rm', 'example/note:dev'])).code, 0);
    const clash = await st.berth(['create', '--build', '--no-build']);
    assert.is(clash.code, 2);
    assert.match(clash.err, /--build and --no-build are incompatible/);
    const noBuild = await st.berth(['create', '--no-build', 'note']);
    assert.is.not(noBuild.code, 0, 'note was never built and --no-build');
    const create = await st.berth(['create', '--build', '--pull', 'missing'], { timeoutMs: 120_000 });
    assert.is(create.code, 0, create.err);
    assert.match(create.err, /Image example\/note:dev\s+Built/);
    const rows = JSON.parse((await st.berth(['ps', '-a', '--format', 'json'])).out) as { service: string; state: string }[];
    assert.equal(rows.map((r) => [r.service, r.state]).sort(), [
      ['note', 'created'],
      ['web', 'created'],
    ]);
    const start = await st.berth(['start']);
    assert.is(start.code, 0, start.err);
    const note = await st.berth(['exec', '-T', 'note', 'cat', '/note.txt']);
    assert.is(note.out.trim(), 'inline-note');
    assert.is((await st.berth(['down'])).code, 0);
  });

  test.run();
}
