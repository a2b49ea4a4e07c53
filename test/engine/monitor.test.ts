import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EngineEvent, StatusEvent } from '../../src/api/index.js';
import { harness, type Harness } from './fakes.js';
import { poll } from '../helpers/poll.js';

let h: Harness;
test.before.each(() => {
  h = harness('mon');
});
test.after.each(async () => {
  await h.close();
});

const TWO = `
services:
  web:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    ports: ["8080:80"]
  job:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`;

test("monitor: status snapshots (state, ports, restarts with the user's restarts, memory); not recorded as events", async () => {
  h.writeCompose(TWO);
  await h.engine.up({ source: h.source(), detach: true });
  await h.engine.restart({ source: h.source(), services: ['job'] });
  const seen: EngineEvent[] = [];
  const stop = new AbortController();
  const done = h.engine.monitor({ source: h.source(), intervalMs: 20, events: true, onEvent: (e) => seen.push(e), signal: stop.signal });
  await poll('two snapshots', () => seen.filter((e) => e.kind === 'status').length >= 2);
  stop.abort();
  await done;
  const last = seen.filter((e): e is StatusEvent => e.kind === 'status').at(-1)!;
  assert.is(last.project, 'mon');
  assert.equal(
    last.containers.map((c) => [c.name, c.state, c.restarts]),
    [
      ['mon-job-1', 'running', 1],
      ['mon-web-1', 'running', 0],
    ],
  );
  const web = last.containers.find((c) => c.service === 'web')!;
  assert.equal(web.ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  assert.is(web.memoryBytes, 0);
  assert.ok(web.cpuPercent !== undefined, 'CPU from the second snapshot on');
  assert.not.ok(
    h.events.some((e) => e.kind === 'status'),
    'status snapshots go to the caller only',
  );
});

test('monitor with events: what other processes record (here: a stop) arrives live', async () => {
  h.writeCompose(TWO);
  await h.engine.up({ source: h.source(), detach: true });
  const seen: EngineEvent[] = [];
  const stop = new AbortController();
  const done = h.engine.monitor({ source: h.source(), intervalMs: 50, events: true, onEvent: (e) => seen.push(e), signal: stop.signal });
  await poll('first snapshot', () => seen.some((e) => e.kind === 'status'));
  await h.engine.stop({ source: h.source(), services: ['web'] });
  await poll('the stop, from the events file', () => seen.some((e) => e.kind === 'container' && e.action === 'stopped' && e.container === 'mon-web-1'));
  stop.abort();
  await done;
});

test.run();
