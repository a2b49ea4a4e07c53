import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

interface Status {
  restarts: number;
  gaveUp?: boolean;
  lastError?: string;
  health?: { status: string; log: { end: number; exitCode: number }[] };
}
interface Row {
  name: string;
  service: string;
  state: string;
  exitCode?: number;
  startedAt?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

if (!skipUnlessKernel('e2e engine-gaps')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  const status = (svc: string): Status | undefined => {
    try {
      return JSON.parse(readFileSync(join(st().roots.root, 'projects', st().project, 'status', `${st().project}-${svc}-1.json`), 'utf8')) as Status;
    } catch {
      return undefined;
    }
  };
  const rows = async (): Promise<Row[]> => {
    const r = await st().berth(['ps', '-a', '--format', 'json']);
    assert.is(r.code, 0, r.err);
    return JSON.parse(r.out) as Row[];
  };
  const events = (): { action?: string; container?: string; detail?: string }[] =>
    readFileSync(join(st().roots.root, 'projects', st().project, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action?: string; container?: string; detail?: string });
  const supervisorPid = (): number => Number(readFileSync(join(st().roots.root, 'projects', st().project, 'supervisor.pid'), 'utf8').split(' ')[0]);

  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up -d', async () => {
    s = await makeStack('engine-gaps');
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
  });

  test('deploy.restart_policy: fixed delay, max_attempts, then it gives up', async () => {
    await poll('flaky gives up', () => status('flaky')?.gaveUp === true, 20_000);
    assert.is(status('flaky')!.restarts, 2);
    const delays = events()
      .filter((e) => e.action === 'restarting' && e.container === `${st().project}-flaky-1`)
      .map((e) => e.detail);
    assert.equal(delays, ['in 300 ms', 'in 300 ms']);
    const flaky = (await rows()).find((r) => r.service === 'flaky')!;
    assert.is(flaky.state, 'exited');
    assert.is(flaky.exitCode, 1);
  });

  test('/etc/hosts: network_mode host gets the host file, none localhost + its hostname', async () => {
    const host = await st().berth(['exec', '-T', 'hostnet', 'cat', '/etc/hosts']);
    assert.is(host.code, 0, host.err);
    const firstHostLine = readFileSync('/etc/hosts', 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '' && !l.startsWith('#'))!;
    assert.ok(host.out.includes(firstHostLine), host.out);
    assert.match(host.out, /10\.1\.2\.3\tberth-extra/);
    assert.match(host.out, new RegExp(`\\t${st().project}-hostnet-1\\n`));
    const none = await st().berth(['exec', '-T', 'isolated', 'cat', '/etc/hosts']);
    assert.is(none.code, 0, none.err);
    assert.match(none.out, /^127\.0\.0\.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n/);
    assert.match(none.out, /\tiso\n/);
  });

  test('start waits for service_healthy dependencies, as up does', async () => {
    const stop = await st().berth(['stop', '-t', '1']);
    assert.is(stop.code, 0, stop.err);
    const start = await st().berth(['start']);
    assert.is(start.code, 0, start.err);
    const all = await rows();
    const app = all.find((r) => r.service === 'app')!;
    const db = all.find((r) => r.service === 'db')!;
    assert.is(app.state, 'running');
    const health = status('db')!.health!;
    assert.is(health.status, 'healthy');
    const firstOk = health.log.find((p) => p.exitCode === 0)!;
    assert.ok(app.startedAt! >= firstOk.end, `app started ${app.startedAt! - firstOk.end} ms before db was healthy`);
    assert.ok(app.startedAt! - db.startedAt! >= 900, 'db takes a second to be ready');
    // the same wait as up's (compose's): reported on the dependency's containers
    assert.ok(events().some((e) => e.action === 'waiting' && e.container === `${st().project}-db-1` && e.detail === 'healthy'));
  });

  test('a killed supervisor is started again by the next ps; DNS answers again', async () => {
    const before = supervisorPid();
    assert.ok(alive(before));
    process.kill(before, 'SIGKILL');
    await poll('supervisor gone', () => !alive(before));
    const ps = await st().berth(['ps']);
    assert.is(ps.code, 0, ps.err);
    const after = supervisorPid();
    assert.is.not(after, before);
    assert.ok(alive(after), 'a new supervisor runs');
    await poll('db resolves', async () => {
      const r = await st().berth(['exec', '-T', 'app', 'nslookup', 'db']);
      return r.code === 0 && /Address: 1/.test(r.out.split('Name:')[1] ?? '');
    });
  });

  test('a restart that fails keeps the container (exited 128, shown by ps -a, removed by down)', async () => {
    const victim = `${st().project}-victim-1`;
    writeFileSync(join(st().dir, 'gone', 'stop'), '');
    await poll('victim exits and a restart is due', () => status('victim')?.restarts === 1 || undefined);
    rmSync(join(st().dir, 'gone'), { recursive: true, force: true });
    await poll('the restart failed', () => status('victim')?.lastError !== undefined, 20_000);
    const row = (await rows()).find((r) => r.name === victim);
    assert.ok(row, 'ps -a still lists it');
    assert.is(row!.state, 'exited');
    assert.is(row!.exitCode, 128);
    // the supervisor leaves it alone; `start` runs it again once the cause is gone
    mkdirSync(join(st().dir, 'gone'));
    const start = await st().berth(['start', 'victim']);
    assert.is(start.code, 0, start.err);
    assert.is((await rows()).find((r) => r.name === victim)?.state, 'running');
    assert.is(status('victim')?.lastError, undefined, 'the error is cleared');
    // once more, and this time `up` brings it back
    writeFileSync(join(st().dir, 'gone', 'stop'), '');
    await poll('victim exits again', () => status('victim')?.restarts === 1 || undefined);
    rmSync(join(st().dir, 'gone'), { recursive: true, force: true });
    await poll('the restart failed again', () => status('victim')?.lastError !== undefined, 20_000);
    mkdirSync(join(st().dir, 'gone'));
    const up = await st().berth(['up', '-d', 'victim']);
    assert.is(up.code, 0, up.err);
    assert.is((await rows()).find((r) => r.name === victim)?.state, 'running');
    const down = await st().berth(['down', '-t', '1']);
    assert.is(down.code, 0, down.err);
    assert.equal(await rows(), []);
  });

  test.run();
}
