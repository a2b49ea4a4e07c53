// `watch --prune` through up's `pruneReplaced`: the image a recreated container ran on goes once nothing holds it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';
import type { EngineEvent } from '../../src/api/index.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
  h.writeCompose(`
services:
  web:
    build: .
    command: ["sh", "-c", "sleep 3600"]
  other:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`);
});
test.after.each(async () => {
  await h.close();
});

const rebuild = (pruneReplaced?: boolean) =>
  h.engine.up({ source: h.source(), services: ['web'], build: true, noDeps: true, forceRecreate: true, detach: true, ...(pruneReplaced ? { pruneReplaced } : {}) });
const removedEvents = (): string[] => h.events.filter((e): e is Extract<EngineEvent, { kind: 'image' }> => e.kind === 'image' && e.action === 'removed').map((e) => e.image);

test('a rebuild with pruneReplaced removes the image the old container ran on, unless another container holds it', async () => {
  await h.engine.up({ source: h.source(), detach: true });
  h.buildIds.push('sha256:2222', 'sha256:3333', 'sha256:4444');
  await rebuild(true);
  // web ran on the fake image before, and `other` still runs on it: kept
  assert.equal(h.images.removed, []);
  assert.ok((h.images.held.get('sha256:1111')?.size ?? 0) > 0);
  await rebuild(true);
  assert.equal(h.images.removed, ['sha256:2222'], 'the previous build is dangling now');
  assert.equal(removedEvents(), ['sha256:2222']);
  await rebuild();
  assert.equal(h.images.removed, ['sha256:2222'], 'without pruneReplaced nothing is removed');
  assert.equal([...(h.images.held.get('sha256:4444') ?? [])].length, 1, 'the new image is held by the new container');
});

test.run();
