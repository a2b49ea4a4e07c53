import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harness, type Harness } from './fakes.js';
import { declaredTcpPorts, readinessPorts } from '../../src/engine/readiness.js';
import type { LocalImage } from '../../src/image/types.js';
import { FakeClock } from '../helpers/clock.js';
import { poll } from '../helpers/poll.js';

// the engine waits for ports on a fake clock: "not before" is proven over (fake) seconds of
// looking, never by a real wait that a slow machine could outlast
let h: Harness;
let clock: FakeClock;
/** Containers (by id) the engine asked whether they listen, in order. */
let asked: string[];
test.before.each(() => {
  clock = new FakeClock();
  h = harness('proj', clock);
  asked = [];
  const listening = h.runtime.listening.bind(h.runtime);
  h.runtime.listening = async (id) => {
    asked.push(id);
    return listening(id);
  };
});
test.after.each(async () => {
  await h.close();
});

const STACK = `
services:
  db:
    image: busybox:1.36
    command: ["sleep", "3600"]
    expose: ["5432"]
  app:
    image: busybox:1.36
    command: ["sleep", "3600"]
    depends_on: [db]
`;

const startOf = (name: string): number => h.events.findIndex((e) => e.kind === 'container' && e.action === 'starting' && e.container === name);
const warnings = (): string[] => h.events.flatMap((e) => (e.kind === 'warning' ? [e.message] : []));

test('a dependency that listens only later is waited for: its dependent starts after', async () => {
  h.writeCompose(STACK);
  const up = h.engine.up({ source: h.source(), detach: true });
  // the engine asks, finds db not listening and waits on the clock: 9 s of it, looking every 50 ms
  await poll('the engine waiting for db to listen', () => asked.length > 0 && clock.sleepers > 0);
  await clock.advance(9_000);
  assert.ok(asked.length > 100, `db asked again and again (${asked.length})`);
  assert.is(startOf('proj-app-1'), -1, 'app not started while db does not listen');
  const listenedAt = h.events.length;
  h.runtime.listeningPorts.set('proj-db-1', new Set([5432]));
  await clock.advance(50);
  const r = await up;
  assert.is(r.exitCode, 0);
  assert.ok(startOf('proj-app-1') >= listenedAt, 'app starts once db listens');
  assert.equal(warnings(), []);
  await h.engine.down({ source: h.source() });
});

test('a dependency that never listens is waited for up to the bound, then counts as started with a warning', async () => {
  h.writeCompose(STACK);
  h.env.BERTH_READINESS = '2s';
  const up = h.engine.up({ source: h.source(), detach: true });
  await poll('the engine waiting for db to listen', () => asked.length > 0 && clock.sleepers > 0);
  await clock.advance(1_950);
  assert.is(startOf('proj-app-1'), -1, 'app not started before the bound');
  assert.equal(warnings(), []);
  await clock.advance(100);
  const r = await up;
  assert.is(r.exitCode, 0);
  assert.ok(startOf('proj-app-1') > startOf('proj-db-1'));
  assert.equal(warnings(), ['container proj-db-1 does not listen on 5432/tcp after 2s; counted as started (BERTH_READINESS sets the bound, off turns the wait off)']);
  await h.engine.down({ source: h.source() });
});

test('BERTH_READINESS=off: no wait, no warning', async () => {
  h.writeCompose(STACK);
  h.env.BERTH_READINESS = 'off';
  await h.engine.up({ source: h.source(), detach: true });
  assert.ok(startOf('proj-app-1') > 0);
  assert.equal(asked, [], 'never asked whether db listens');
  assert.equal(warnings(), []);
  await h.engine.down({ source: h.source() });
});

test('declared TCP ports: expose (ranges, /tcp), ports targets, image ExposedPorts; udp left out', () => {
  const image = { config: { ExposedPorts: { '80/tcp': {}, '53/udp': {} } } } as unknown as LocalImage;
  assert.equal(
    declaredTcpPorts(
      {
        expose: ['9000-9002', '7000/tcp', '5353/udp'],
        ports: [
          { mode: 'ingress', target: 8080, protocol: 'tcp' },
          { mode: 'ingress', target: 1234, protocol: 'udp' },
        ],
      },
      image,
    ),
    [80, 7000, 8080, 9000, 9001, 9002],
  );
  assert.equal(declaredTcpPorts({}, undefined), []);
});

test('readiness applies to service_started dependencies (and to every service with --wait), not to leaves', () => {
  const services = {
    db: { expose: ['5432'] },
    cache: { expose: ['6379'] },
    app: {
      expose: ['8000'],
      depends_on: { db: { condition: 'service_started' as const, restart: true, required: true }, cache: { condition: 'service_healthy' as const, restart: true, required: true } },
    },
  };
  const none = new Map<string, LocalImage>();
  assert.equal([...readinessPorts(services, ['db', 'cache', 'app'], none, false)], [['db', [5432]]]);
  assert.equal(
    [...readinessPorts(services, ['db', 'cache', 'app'], none, true)],
    [
      ['app', [8000]],
      ['cache', [6379]],
      ['db', [5432]],
    ],
  );
  assert.equal([...readinessPorts(services, ['app'], none, false)], [], 'a dependency left out of the up is not waited for');
});

test.run();
