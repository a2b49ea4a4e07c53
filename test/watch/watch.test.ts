import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchProject } from '../../src/watch/watch.js';
import type { WatchMessage } from '../../src/watch/apply.js';
import type { Engine } from '../../src/api/index.js';
import { tmpProject, COMPOSE } from './fixture.js';
import { fakeTarget, fakeWatcher } from './fakes.js';
import { poll } from '../helpers/poll.js';

const t = tmpProject(COMPOSE.replace('action: sync\n', 'action: sync\n          initial_sync: true\n'), { 'src/a.js': 'A1', 'src/compose.yaml': 'no', 'src/node_modules/m.js': 'm' });
test.after(() => t.cleanup());

function fakeEngine(calls: string[]): Engine {
  return new Proxy({} as Engine, {
    get: (_t, verb: string) => async (o: { services?: string[]; detach?: boolean }) => {
      calls.push(`${verb} ${JSON.stringify(o.services ?? [])} detach=${o.detach}`);
    },
  });
}

test('up, initial sync, debounced batch, clean stop on abort', async () => {
  const engineCalls: string[] = [];
  const target = fakeTarget();
  const fw = fakeWatcher();
  const msgs: WatchMessage[] = [];
  const ac = new AbortController();
  let ready = false;
  const done = watchProject({
    engine: fakeEngine(engineCalls),
    source: t.source,
    services: ['web'],
    signal: ac.signal,
    target,
    watcher: fw.factory,
    quietPeriodMs: 20,
    onMessage: (m) => msgs.push(m),
    onReady: () => (ready = true),
  });
  await poll('ready', () => ready);
  assert.equal(engineCalls, ['up ["web"] detach=true']);
  assert.is(target.files.get('web#1:/app/src/a.js'), 'A1', 'initial sync');
  assert.not.ok(target.files.has('web#1:/app/src/compose.yaml'), 'initial sync skips compose files');
  assert.not.ok(target.files.has('web#1:/app/src/node_modules/m.js'), 'initial sync honours ignore');
  assert.equal(
    fw.paths(),
    ['config', 'hooks', 'package.json', 'src'].map((p) => join(t.dir, p)),
  );
  assert.ok(fw.handlers().ignored(join(t.dir, 'src/node_modules')), 'ignored folders are not even watched');
  assert.not.ok(fw.handlers().ignored(join(t.dir, 'src/b.js')));

  writeFileSync(join(t.dir, 'src/a.js'), 'A2');
  fw.handlers().onChange(join(t.dir, 'src/a.js'));
  fw.handlers().onChange(join(t.dir, 'src/vanished.js'));
  fw.handlers().onChange(join(t.dir, 'package.json'));
  await poll('restart', () => target.calls.includes('restart web'));
  assert.is(target.files.get('web#1:/app/src/a.js'), 'A2');
  assert.ok(target.calls.includes('exec web#1 rm -rf -- /app/src/vanished.js'));
  ac.abort();
  await done;
  assert.ok(fw.closed());
  const texts = msgs.map((m) => m.text);
  assert.is(texts[0], 'Syncing service "web" after 1 changes were detected', texts.join('\n'));
  assert.ok(texts.includes('Watch enabled'));
  assert.is(texts.at(-1), 'Watch disabled');
});

test('--no-up skips up; a failing batch is a warning, watching goes on', async () => {
  const engineCalls: string[] = [];
  const target = fakeTarget();
  const fw = fakeWatcher();
  const msgs: WatchMessage[] = [];
  const ac = new AbortController();
  let ready = false;
  const done = watchProject({
    engine: fakeEngine(engineCalls),
    source: t.source,
    services: ['web'],
    noUp: true,
    signal: ac.signal,
    target,
    watcher: fw.factory,
    quietPeriodMs: 10,
    onMessage: (m) => msgs.push(m),
    onReady: () => (ready = true),
  });
  await poll('ready', () => ready);
  assert.equal(engineCalls, []);
  target.failExec = true;
  fw.handlers().onChange(join(t.dir, 'src/a.js'));
  await poll('warning', () => msgs.some((m) => m.level === 'warn'));
  assert.match(msgs.find((m) => m.level === 'warn')!.text, /^Error handling changed files: service web: copying into the container failed: boom$/);
  target.failExec = false;
  fw.handlers().onChange(join(t.dir, 'package.json'));
  await poll('restart after a failure', () => target.calls.includes('restart web'));
  ac.abort();
  await done;
});

test('--prune reaches the rebuild of a changed rebuild path', async () => {
  const b = tmpProject('name: wb\nservices:\n  web:\n    build: .\n    develop:\n      watch:\n        - path: ./src\n          action: rebuild\n', { Dockerfile: 'FROM busybox\n', 'src/a.js': 'A' });
  try {
    const target = fakeTarget();
    const fw = fakeWatcher();
    const ac = new AbortController();
    let ready = false;
    const done = watchProject({
      engine: fakeEngine([]),
      source: b.source,
      noUp: true,
      prune: true,
      signal: ac.signal,
      target,
      watcher: fw.factory,
      quietPeriodMs: 10,
      onReady: () => (ready = true),
    });
    await poll('ready', () => ready);
    fw.handlers().onChange(join(b.dir, 'src/a.js'));
    await poll('rebuild', () => target.calls.length > 0);
    ac.abort();
    await done;
    assert.equal(target.calls, ['rebuild web (prune)']);
  } finally {
    b.cleanup();
  }
});

test('no service configured for watch is an error like compose', async () => {
  try {
    await watchProject({ engine: fakeEngine([]), source: t.source, services: ['db'], signal: new AbortController().signal, target: fakeTarget(), watcher: fakeWatcher().factory });
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, "none of the selected services is configured for watch, consider setting a 'develop' section");
  }
});

test.run();
