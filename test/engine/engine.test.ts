import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { harness, type Harness } from './fakes.js';
import { FakeClock } from '../helpers/clock.js';
import { poll } from '../helpers/poll.js';
import type { LogLine } from '../../src/api/index.js';

let h: Harness;
test.before.each(() => {
  h = harness('proj');
});
test.after.each(async () => {
  await h.close();
});

const THREE_TIER = `
services:
  db:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 50ms
      start_interval: 20ms
      start_period: 1s
  app:
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    depends_on:
      db:
        condition: service_healthy
  front:
    image: busybox:1.36
    command: ["httpd", "-f"]
    ports: ["8080:80"]
    depends_on: [app]
`;

test('up -d: dependency order with healthcheck; ps; down removes everything', async () => {
  h.writeCompose(THREE_TIER);
  const r = await h.engine.up({ source: h.source(), detach: true });
  assert.is(r.exitCode, 0);
  const starts = h.runtime.log.filter((l) => l.startsWith('start'));
  assert.equal(starts, ['start proj-db-1', 'start proj-app-1', 'start proj-front-1']);
  const healthyAt = h.events.findIndex((e) => e.kind === 'container' && e.action === 'healthy' && e.container === 'proj-db-1');
  const appStartAt = h.events.findIndex((e) => e.kind === 'container' && e.action === 'starting' && e.container === 'proj-app-1');
  assert.ok(healthyAt >= 0 && healthyAt < appStartAt, 'app starts only after db is healthy');
  assert.ok(h.network.networks.has('proj_default'));
  const rows = await h.engine.ps({ source: h.source() });
  assert.equal(
    rows.map((r) => [r.name, r.state]),
    [
      ['proj-app-1', 'running'],
      ['proj-db-1', 'running'],
      ['proj-front-1', 'running'],
    ],
  );
  assert.equal([...h.network.publishedMap.values()], [[8080]]);
  assert.equal(rows.find((r) => r.service === 'front')?.ports, [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);

  await h.engine.down({ source: h.source() });
  assert.is(h.runtime.containers.size, 0);
  assert.is(h.network.networks.size, 0);
  assert.is(h.network.attached.size, 0);
  assert.not.ok(existsSync(join(h.env.BERTH_ROOT!, 'projects', 'proj')), 'state dir removed');
  const stops = h.runtime.log.filter((l) => l.startsWith('stop'));
  assert.equal(stops, ['stop proj-front-1', 'stop proj-app-1', 'stop proj-db-1'], 'down goes dependents first');
});

test('down and stop say when pid 1 could not hear its stop signal and was killed at once', async () => {
  h.writeCompose(`
services:
  app:
    image: busybox:1.36
    command: ["sleep", "3600"]
  web:
    image: busybox:1.36
    command: ["httpd", "-f"]
    stop_signal: SIGQUIT
  db:
    image: busybox:1.36
    command: ["sleep", "3600"]
`);
  await h.engine.up({ source: h.source(), detach: true });
  h.runtime.deafInits.add('proj-app-1');
  h.runtime.deafInits.add('proj-web-1');
  await h.engine.stop({ source: h.source(), services: ['app'] });
  await h.engine.down({ source: h.source() });
  const stopped = h.events.flatMap((e) => (e.kind === 'container' && e.action === 'stopped' ? [`${e.container}: ${e.detail ?? '-'}`] : []));
  assert.equal(stopped.sort(), [
    'proj-app-1: pid 1 ignores SIGTERM: killed at once; `init: true` or a handler gives it a clean stop',
    'proj-db-1: -',
    'proj-web-1: pid 1 ignores SIGQUIT: killed at once; `init: true` or a handler gives it a clean stop',
  ]);
});

test('up twice recreates only the changed service', async () => {
  h.writeCompose(THREE_TIER);
  await h.engine.up({ source: h.source(), detach: true });
  const before = new Map([...h.runtime.containers.values()].map((c) => [c.config.name, c.config.id]));
  h.writeCompose(THREE_TIER.replace('command: ["sh", "-c", "sleep 3600"]\n    depends_on:', 'command: ["sh", "-c", "sleep 7200"]\n    depends_on:'));
  await h.engine.up({ source: h.source(), detach: true });
  const after = new Map([...h.runtime.containers.values()].map((c) => [c.config.name, c.config.id]));
  assert.is(after.get('proj-db-1'), before.get('proj-db-1'));
  assert.is(after.get('proj-front-1'), before.get('proj-front-1'));
  assert.is.not(after.get('proj-app-1'), before.get('proj-app-1'));
  await h.engine.down({ source: h.source() });
});

test('an unhealthy dependency fails its dependents with the chain named', async () => {
  h.writeCompose(THREE_TIER.replace('start_period: 1s', 'start_period: 0s\n      retries: 2'));
  h.runtime.health.set('db', 1);
  const err = await h.engine.up({ source: h.source(), detach: true }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err);
  assert.match(err!.message, /container proj-db-1 is unhealthy/);
  assert.not.ok(h.runtime.log.includes('start proj-app-1'));
  assert.not.ok(h.runtime.log.includes('start proj-front-1'));
  await h.engine.down({ source: h.source() });
  assert.is(h.runtime.containers.size, 0);
});

test('service_completed_successfully: migration first, failure stops the app', async () => {
  const yaml = (code: number) => `
services:
  migrate:
    image: busybox:1.36
    command: ["sh", "-c", "exit ${code}"]
  app:
    image: busybox:1.36
    command: ["sleep", "3600"]
    depends_on:
      migrate:
        condition: service_completed_successfully
`;
  h.writeCompose(yaml(0));
  await h.engine.up({ source: h.source(), detach: true });
  assert.ok(h.runtime.log.indexOf('start proj-app-1') > h.runtime.log.indexOf('start proj-migrate-1'));
  await h.engine.down({ source: h.source() });
  h.writeCompose(yaml(3));
  const err = await h.engine.up({ source: h.source(), detach: true }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(String(err?.message), /proj-migrate-1 exited with code 3/);
  assert.not.ok(h.runtime.log.slice(-3).includes('start proj-app-1'));
  await h.engine.down({ source: h.source() });
});

test('crash loop: restart always with growing backoff; a user stop ends it', async () => {
  // the supervisor waits on a fake clock: the backoff passes when the test moves time on,
  // and "no restart after a stop" is proven over 30 s of that time, not a real sleep
  const clock = new FakeClock();
  await h.close();
  h = harness('proj', clock);
  h.writeCompose(`
services:
  crash:
    image: busybox:1.36
    command: ["sh", "-c", "exit 3"]
    restart: always
`);
  await h.engine.up({ source: h.source(), detach: true });
  await poll(
    'three restarts',
    async () => {
      await clock.advance(50);
      return (h.runtime.starts.get('proj-crash-1') ?? 0) >= 4;
    },
    10_000,
  );
  const restarting = h.events.filter((e) => e.kind === 'container' && e.action === 'restarting').map((e) => (e as { detail?: string }).detail);
  assert.equal(restarting.slice(0, 3), ['in 100 ms', 'in 200 ms', 'in 400 ms']);
  const lines: string[] = [];
  await h.engine.logs({ source: h.source(), onLog: (l) => lines.push(l.text) });
  assert.ok(lines.filter((l) => l === 'hello from proj-crash-1').length >= 3, `logs keep earlier runs: ${lines.join(',')}`);
  const tail: string[] = [];
  await h.engine.logs({ source: h.source(), tail: 2, onLog: (l) => tail.push(l.text) });
  assert.is(tail.length, 2, '--tail counts over all runs');
  // the dashboard's scroll-back reads: the first N from a cursor, the last N before one
  const all: LogLine[] = [];
  await h.engine.logs({ source: h.source(), peek: true, onLog: (l) => all.push(l) });
  const head: LogLine[] = [];
  await h.engine.logs({ source: h.source(), peek: true, since: all[1]!.time, head: 1, onLog: (l) => head.push(l) });
  assert.equal(head, all.filter((l) => l.time >= all[1]!.time).slice(0, 1), 'head: the first line from the cursor');
  const before: LogLine[] = [];
  await h.engine.logs({ source: h.source(), peek: true, until: all[1]!.time, tail: 5, onLog: (l) => before.push(l) });
  assert.equal(before, all.filter((l) => l.time <= all[1]!.time).slice(-5), 'until + tail: the last lines up to the cursor');
  await h.engine.stop({ source: h.source() });
  const n = h.runtime.starts.get('proj-crash-1');
  for (let i = 0; i < 15; i++) await clock.advance(2_000);
  assert.is(h.runtime.starts.get('proj-crash-1'), n, 'no restart after a user stop (30 s on the supervisor clock)');
  // the decision the e2e test (test/e2e/crash-loop) waits for, said once
  assert.is(h.supervisorLog.filter((l) => /^proj-crash-1: (exited \(\d+\), )?not restarted: stopped by the user/.test(l)).length, 1, h.supervisorLog.join('\n'));
  await h.engine.down({ source: h.source() });
});

test('scale 3: PROJECT-SERVICE-N names, attached to the network with DNS names', async () => {
  h.writeCompose(`
services:
  web:
    image: busybox:1.36
    command: ["httpd", "-f"]
`);
  await h.engine.up({ source: h.source(), detach: true, scale: { web: 3 } });
  const names = [...h.runtime.containers.values()].map((c) => c.config.name).sort();
  assert.equal(names, ['proj-web-1', 'proj-web-2', 'proj-web-3']);
  assert.is(h.network.attached.size, 3);
  await h.engine.up({ source: h.source(), detach: true, scale: { web: 1 } });
  assert.equal(
    [...h.runtime.containers.values()].map((c) => c.config.name),
    ['proj-web-1'],
  );
  await h.engine.down({ source: h.source() });
});

test('down -p NAME works with the compose file gone', async () => {
  h.writeCompose(THREE_TIER);
  await h.engine.up({ source: h.source(), detach: true });
  rmSync(join(h.source().cwd, 'compose.yaml'));
  await h.engine.down({ source: { ...h.source(), projectName: 'proj' } });
  assert.is(h.runtime.containers.size, 0);
  assert.is(h.network.networks.size, 0);
});

test('down with an orphan left: the removed containers are forgotten in the record, the orphan kept', async () => {
  h.writeCompose(THREE_TIER);
  await h.engine.up({ source: h.source(), detach: true });
  // front leaves the file: its container is an orphan that down (without --remove-orphans) keeps
  h.writeCompose(THREE_TIER.replace(/ {2}front:[\s\S]*$/, ''));
  await h.engine.down({ source: h.source() });
  assert.equal(
    [...h.runtime.containers.values()].map((c) => c.config.name),
    ['proj-front-1'],
  );
  const record = JSON.parse(readFileSync(join(h.env.BERTH_ROOT!, 'projects', 'proj', 'project.json'), 'utf8')) as { containers: Record<string, unknown> };
  assert.equal(Object.keys(record.containers), ['proj-front-1']);
  assert.not.ok(existsSync(join(h.env.BERTH_ROOT!, 'projects', 'proj', 'containers', 'proj-db-1.json')), "a removed container's spec goes");
});

test('exec passes the exit code through; run --rm leaves nothing', async () => {
  h.writeCompose(`
services:
  web:
    image: busybox:1.36
    command: ["httpd", "-f"]
`);
  await h.engine.up({ source: h.source(), detach: true });
  h.runtime.health.set('web', 7);
  assert.is(await h.engine.exec({ source: h.source(), service: 'web', command: ['false'] }), 7);
  const code = await h.engine.run({ source: h.source(), service: 'web', command: ['sh', '-c', 'exit 5'], rm: true });
  assert.is(code, 5);
  assert.equal(
    [...h.runtime.containers.values()].map((c) => c.config.name),
    ['proj-web-1'],
  );
  await h.engine.down({ source: h.source() });
});

test('attached up with --abort-on-container-exit and --exit-code-from', async () => {
  h.writeCompose(`
services:
  server:
    image: busybox:1.36
    command: ["httpd", "-f"]
  tester:
    image: busybox:1.36
    command: ["sh", "-c", "exit 4"]
    depends_on: [server]
`);
  const lines: string[] = [];
  const r = await h.engine.up({ source: h.source(), abortOnContainerExit: true, exitCodeFrom: 'tester', onLog: (l) => lines.push(`${l.service}: ${l.text}`) });
  assert.is(r.exitCode, 4);
  assert.ok(lines.includes('server: hello from proj-server-1'), lines.join('\n'));
  const rows = await h.engine.ps({ source: h.source(), all: true });
  assert.ok(
    rows.every((x) => x.state === 'exited'),
    'everything stopped',
  );
  await h.engine.down({ source: h.source() });
});

test('secrets and configs are bound read-only at their targets with their mode', async () => {
  const { writeFileSync, readFileSync, statSync } = await import('node:fs');
  writeFileSync(join(h.source().cwd, 'token.txt'), 's3cret');
  h.writeCompose(`
services:
  app:
    image: busybox:1.36
    command: ["sleep", "3600"]
    secrets: [token]
    configs:
      - source: conf
        target: /etc/app.conf
        mode: 0440
secrets:
  token:
    file: ./token.txt
configs:
  conf:
    content: "key=value"
`);
  await h.engine.up({ source: h.source(), detach: true });
  const c = [...h.runtime.containers.values()][0]!;
  const secret = c.config.mounts!.find((m) => m.target === '/run/secrets/token');
  const conf = c.config.mounts!.find((m) => m.target === '/etc/app.conf');
  assert.ok(secret && secret.type === 'bind' && secret.readOnly);
  assert.ok(conf && conf.type === 'bind' && conf.readOnly);
  assert.is(readFileSync((secret as { source: string }).source, 'utf8'), 's3cret');
  assert.is(readFileSync((conf as { source: string }).source, 'utf8'), 'key=value');
  assert.is(statSync((conf as { source: string }).source).mode & 0o777, 0o440);
  // on the host: the files' directories are closed to others; the project record 0600
  const { dirname } = await import('node:path');
  for (const f of [secret, conf] as { source: string }[]) {
    assert.is(statSync(dirname(f.source)).mode & 0o777, 0o700, dirname(f.source));
    assert.is(statSync(dirname(dirname(f.source))).mode & 0o777, 0o700);
  }
  const project = join(dirname(dirname(dirname(dirname((secret as { source: string }).source)))), 'project.json');
  assert.is(statSync(project).mode & 0o777, 0o600, project);
  await h.engine.down({ source: h.source() });
});

test('restart of a service restarts dependents that ask for it (depends_on.restart)', async () => {
  h.writeCompose(`
services:
  db:
    image: busybox:1.36
    command: ["sleep", "3600"]
  app:
    image: busybox:1.36
    command: ["sleep", "3600"]
    depends_on:
      db:
        condition: service_started
        restart: true
  other:
    image: busybox:1.36
    command: ["sleep", "3600"]
    depends_on: [db]
`);
  await h.engine.up({ source: h.source(), detach: true });
  await h.engine.restart({ source: h.source(), services: ['db'] });
  assert.is(h.runtime.starts.get('proj-db-1'), 2);
  assert.is(h.runtime.starts.get('proj-app-1'), 2);
  assert.is(h.runtime.starts.get('proj-other-1'), 1);
  await h.engine.down({ source: h.source() });
});

test('volumes_from mounts the other service container volumes', async () => {
  h.writeCompose(`
services:
  data:
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumes: ["shared:/shared"]
  reader:
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumes_from: ["data:ro"]
    depends_on: [data]
volumes:
  shared: {}
`);
  await h.engine.up({ source: h.source(), detach: true });
  const reader = [...h.runtime.containers.values()].find((c) => c.config.name === 'proj-reader-1')!;
  const m = reader.config.mounts!.find((x) => x.target === '/shared');
  assert.ok(m && m.type === 'bind' && m.readOnly && m.source.endsWith('proj_shared/_data'), JSON.stringify(reader.config.mounts));
  await h.engine.down({ source: h.source(), volumes: true });
});

test.run();
