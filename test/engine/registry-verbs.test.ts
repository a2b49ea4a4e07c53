// The engine's pull, push and build verbs (what `berth pull|push|build` call): one pull or
// push per image, failures as events, progress as image events (so --progress json works).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness } from './fakes.js';
import { BerthError } from '../../src/errors.js';

const compose = `services:
  a: { image: 'busybox:1.36' }
  b: { image: 'busybox:1.36', depends_on: [a] }
  c: { image: 'other:1', build: { context: . } }
  d: { build: { context: . } }
`;

function imageEvents(h: ReturnType<typeof harness>): string[] {
  return h.events.flatMap((e) => (e.kind === 'image' ? [`${e.action} ${e.image} ${(e.services ?? []).join(',')}`] : e.kind === 'warning' ? [`warning ${e.message}`] : []));
}

test('pull: one pull per image with pulling/pulled events; buildable services without image: are skipped', async () => {
  const h = harness();
  try {
    h.writeCompose(compose);
    const calls: string[] = [];
    const ensure = h.images.ensure;
    h.images.ensure = async (ref, policy, o) => {
      calls.push(`${ref} ${policy}`);
      o.onProgress?.({ type: 'resolved', ref, layers: 1, digest: 'sha256:2' } as never);
      return ensure(ref, policy, o);
    };
    await h.engine.pull({ source: h.source() });
    assert.equal(calls.sort(), ['busybox:1.36 always', 'other:1 always']);
    assert.equal(imageEvents(h).sort(), ['pulled busybox:1.36 a,b', 'pulled other:1 c', 'pulling busybox:1.36 a,b', 'pulling other:1 c']);
  } finally {
    await h.close();
  }
});

test('pull: a failure is an error event and a typed error; for a buildable service only a warning', async () => {
  const h = harness();
  try {
    h.writeCompose(compose);
    h.images.ensure = async (ref) => {
      throw new BerthError('image/not-found', `${ref}: not found`);
    };
    const err = await h.engine.pull({ source: h.source(), services: ['a'] }).catch((e: unknown) => e);
    assert.is((err as BerthError).code, 'image/pull-failed');
    assert.equal(imageEvents(h), ['error busybox:1.36 a']);
    h.events.length = 0;
    await h.engine.pull({ source: h.source(), services: ['c'] });
    assert.equal(imageEvents(h), ['warning c: other:1: not found']);
  } finally {
    await h.close();
  }
});

test('push: each image once, pushing/pushed events; --ignore-push-failures warns', async () => {
  const h = harness();
  try {
    h.writeCompose(compose);
    const pushed: string[] = [];
    h.images.push = async (ref) => {
      if (ref === 'other:1') throw new BerthError('image/push-failed', 'denied');
      pushed.push(ref);
    };
    await h.engine.push({ source: h.source(), services: ['a', 'b', 'c'], ignoreFailures: true });
    assert.equal(pushed, ['busybox:1.36']);
    assert.equal(imageEvents(h), ['pushing busybox:1.36 a,b', 'pushed busybox:1.36 a,b', 'pushing other:1 c', 'warning c: denied']);
  } finally {
    await h.close();
  }
});

test('build: the one build path builds every named service with build:, once per image name', async () => {
  const h = harness();
  try {
    h.writeCompose(compose);
    await h.engine.build({ source: h.source() });
    assert.equal(h.builds, ['c', 'd']);
    const err = await h.engine.build({ source: h.source(), services: ['nope'] }).catch((e: unknown) => e);
    assert.is((err as BerthError).code, 'engine/no-such-service');
  } finally {
    await h.close();
  }
});

test.run();
