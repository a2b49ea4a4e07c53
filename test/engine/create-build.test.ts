// `berth create --build / --no-build / --pull` go through up's build step (build-images.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
  h.writeCompose(`
services:
  web:
    build: .
    command: ["sh", "-c", "sleep 3600"]
  plain:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`);
});
test.after.each(async () => {
  await h.close();
});

const started = (): string[] => h.runtime.log.filter((l) => l.startsWith('start'));

test('create: an image that is there is not built; nothing is started', async () => {
  await h.engine.create({ source: h.source() });
  assert.equal(h.builds, []);
  assert.equal(h.runtime.log.filter((l) => l.startsWith('create')).sort(), ['create proj-plain-1', 'create proj-web-1']);
  assert.equal(started(), []);
});

test('create --build builds the service with build: (once) and creates without starting', async () => {
  await h.engine.create({ source: h.source(), build: true });
  assert.equal(h.builds, ['web']);
  assert.equal(started(), []);
  assert.ok(h.runtime.log.includes('create proj-web-1'));
});

test('create --pull build builds like pull_policy: build; --no-build never builds', async () => {
  await h.engine.create({ source: h.source(), pull: 'build' });
  assert.equal(h.builds, ['web'], 'plain (no build:) is not refused for want of a build');
  await h.engine.create({ source: h.source(), noBuild: true, forceRecreate: true });
  assert.equal(h.builds, ['web'], '--no-build: no second build');
  assert.equal(started(), []);
});

test.run();
