// `start` and `required: false` dependencies: a failing or missing optional dependency only
// warns (as up and docker compose); a required one still fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
});
test.after.each(async () => {
  await h.close();
});

const compose = (required: boolean): string => `
services:
  opt:
    image: busybox:1.36
    command: ["sh", "-c", "exit 3"]
  app:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    depends_on:
      opt:
        condition: service_completed_successfully
        required: ${required}
`;

const warnings = (): string[] => h.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []));
const state = async (name: string): Promise<string | undefined> => (await h.engine.ps({ source: h.source(), all: true })).find((r) => r.name === name)?.state;

test('start: an optional dependency that fails warns and its dependent starts', async () => {
  h.writeCompose(compose(false));
  await h.engine.up({ source: h.source(), detach: true });
  assert.ok(
    warnings().some((w) => w.startsWith('optional dependency opt did not become completed')),
    'up warns',
  );
  await h.engine.stop({ source: h.source(), timeout: 1 });
  h.events.length = 0;
  await h.engine.start({ source: h.source() });
  assert.ok(
    warnings().some((w) => w.startsWith('optional dependency opt did not become completed: container proj-opt-1 exited with code 3')),
    warnings().join('\n'),
  );
  assert.is(await state('proj-app-1'), 'running');
});

test('start: an optional dependency with no container warns "is missing dependency"; app starts', async () => {
  h.writeCompose(compose(false));
  await h.engine.up({ source: h.source(), detach: true });
  await h.engine.stop({ source: h.source(), timeout: 1 });
  await h.engine.remove({ source: h.source(), services: ['opt'] });
  h.events.length = 0;
  await h.engine.start({ source: h.source() });
  assert.equal(warnings(), ['service app is missing dependency opt']);
  assert.is(await state('proj-app-1'), 'running');
});

test('start: a required dependency that fails or is missing fails its dependent', async () => {
  h.writeCompose(compose(true));
  await h.engine.create({ source: h.source() });
  try {
    await h.engine.start({ source: h.source() });
    assert.unreachable('start should fail');
  } catch (err) {
    assert.match((err as Error).message, /service app: dependency opt failed: container proj-opt-1 exited with code 3/);
  }
  assert.is.not(await state('proj-app-1'), 'running');
  await h.engine.remove({ source: h.source(), services: ['opt'] });
  try {
    await h.engine.start({ source: h.source() });
    assert.unreachable('start should fail');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'engine/missing-dependency');
    assert.is((err as Error).message, 'service app is missing dependency opt');
  }
});

test.run();
