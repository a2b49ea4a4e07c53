// `up/run --no-deps SERVICE` with a required dependency that has no container: started anyway
// (compose: the dependency is out of the project, nothing waits for it), with a warning naming it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
  h.writeCompose(`
services:
  db:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    healthcheck: { test: ["CMD", "true"] }
  app:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    depends_on:
      db: { condition: service_healthy }
`);
});
test.after.each(async () => {
  await h.close();
});

const warnings = (): string[] => h.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []));
const message = 'service app: required dependency db has no container and is not started (--no-deps)';

test('up --no-deps: the service starts without its missing dependency, and says so', async () => {
  await h.engine.up({ source: h.source(), services: ['app'], noDeps: true, detach: true });
  assert.equal(
    [...h.runtime.containers.values()].map((c) => c.config.name),
    ['proj-app-1'],
  );
  assert.ok(warnings().includes(message), warnings().join('\n'));
});

test('run --no-deps: the same warning; with the dependency there, none', async () => {
  assert.is(await h.engine.run({ source: h.source(), service: 'app', command: ['sh', '-c', 'exit 0'], rm: true, noDeps: true }), 0);
  assert.ok(warnings().includes(message), warnings().join('\n'));
  h.events.length = 0;
  await h.engine.up({ source: h.source(), services: ['db'], detach: true });
  assert.is(await h.engine.run({ source: h.source(), service: 'app', command: ['sh', '-c', 'exit 0'], rm: true, noDeps: true }), 0);
  await h.engine.up({ source: h.source(), services: ['app'], noDeps: true, detach: true });
  assert.not.ok(
    warnings().some((w) => w.includes('required dependency')),
    warnings().join('\n'),
  );
});

test.run();
