import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  afterProbe,
  applyProbe,
  firstProbeClock,
  initialHealth,
  nextProbe,
  nextProbeDelay,
  probeArgv,
  resolveHealthcheck,
  HEALTH_DEFAULTS,
  type HealthConfig,
  type HealthStatus,
} from '../../src/engine/health.js';

const probe = (start: number, exitCode: number) => ({ start, end: start + 1, exitCode, output: `rc ${exitCode}` });

test('defaults as docker; compose overrides the image key by key; NONE and disable', () => {
  const c = resolveHealthcheck({ test: ['CMD-SHELL', 'true'], retries: 5 }, { test: ['CMD', 'x'], interval: 1000 })!;
  assert.equal(c, { test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: HEALTH_DEFAULTS.timeoutMs, retries: 5, startPeriodMs: 0, startIntervalMs: 5000 });
  assert.is(resolveHealthcheck({ test: ['NONE'] }, { test: ['CMD', 'x'] }), undefined);
  assert.is(resolveHealthcheck({ disable: true }, { test: ['CMD', 'x'] }), undefined);
  assert.is(resolveHealthcheck(undefined, undefined), undefined);
  assert.equal(probeArgv(c), ['/bin/sh', '-c', 'true']);
  assert.equal(probeArgv(resolveHealthcheck(undefined, { test: ['CMD', 'a', 'b'] })!), ['a', 'b']);
});

test('starting -> healthy on the first success', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'] }, undefined)!;
  const s = applyProbe(initialHealth(0), c, probe(10, 0));
  assert.is(s.status, 'healthy');
});

test('retries consecutive failures make it unhealthy; a success resets the streak', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'], retries: 3 }, undefined)!;
  let s = initialHealth(0);
  s = applyProbe(s, c, probe(1, 1));
  s = applyProbe(s, c, probe(2, 1));
  assert.is(s.status, 'starting');
  s = applyProbe(s, c, probe(3, 0));
  assert.is(s.status, 'healthy');
  s = applyProbe(s, c, probe(4, 1));
  s = applyProbe(s, c, probe(5, 1));
  assert.is(s.status, 'healthy');
  s = applyProbe(s, c, probe(6, 1));
  assert.is(s.status, 'unhealthy');
  assert.is(s.log.length, 5, 'keeps the last five results');
});

test('failures inside start_period do not count; probes use start_interval there', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'], retries: 1, start_period: 1000, start_interval: 100, interval: 5000 }, undefined)!;
  let s = initialHealth(0);
  assert.is(nextProbeDelay(s, c, 0), 100);
  s = applyProbe(s, c, probe(500, 1));
  assert.is(s.status, 'starting');
  assert.is(s.failingStreak, 0);
  assert.is(nextProbeDelay(s, c, 1500), 5000);
  s = applyProbe(s, c, probe(1500, 1));
  assert.is(s.status, 'unhealthy');
});

/**
 * The supervisor's health loop on a fake clock: probes take `probeMs`; `passes(t)` says whether
 * a probe started at t succeeds. `eager: false` is the loop as Docker schedules it (and berth
 * did before its eager probes). Returns each status change with its time, and the probe times.
 */
function simulate(
  config: HealthConfig,
  passes: (t: number) => boolean,
  o: { eager: boolean; until: number; probeMs?: number; loopStart?: number },
): { changes: [number, HealthStatus][]; probes: number[] } {
  const took = o.probeMs ?? 0;
  let now = o.loopStart ?? 0;
  let state = initialHealth(0);
  const changes: [number, HealthStatus][] = [];
  const probes: number[] = [];
  if (!o.eager) {
    while (now < o.until) {
      now += nextProbeDelay(state, config, now);
      const start = now;
      probes.push(start);
      now += took;
      const before = state.status;
      state = applyProbe(state, config, { start, end: now, exitCode: passes(start) ? 0 : 1, output: '' });
      if (state.status !== before) changes.push([now, state.status]);
    }
    return { changes, probes };
  }
  let clock = firstProbeClock(state, config, now);
  while (now < o.until) {
    const next = nextProbe(state, config, clock);
    now = Math.max(now, next.at);
    const start = now;
    probes.push(start);
    now += took;
    const before = state.status;
    ({ state, clock } = afterProbe(state, config, clock, next.eager, { start, end: now, exitCode: passes(start) ? 0 : 1, output: '' }));
    if (state.status !== before) changes.push([now, state.status]);
  }
  return { changes, probes };
}

test('eager probes: an early success makes it healthy long before the first scheduled probe', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'], interval: 1000 }, undefined)!;
  const readyAt = 120; // the service answers from 120 ms on
  const docker = simulate(c, (t) => t >= readyAt, { eager: false, until: 3000 });
  const berth = simulate(c, (t) => t >= readyAt, { eager: true, until: 3000 });
  assert.equal(docker.changes, [[1000, 'healthy']]);
  assert.equal(berth.changes, [[150, 'healthy']], 'eager probes at 50 ms and 150 ms (gap doubling)');
  assert.equal(berth.probes.slice(0, 4), [50, 150, 1000, 2000], 'no eager probe after the success; the schedule as before');
});

test('eager probes: a check that never passes turns unhealthy at exactly the same moment as without them', () => {
  for (const hc of [
    { test: ['CMD', 'x'], interval: 1000, retries: 3 },
    { test: ['CMD', 'x'], interval: 1000, retries: 2, start_period: 2500, start_interval: 300 },
    { test: ['CMD', 'x'], interval: 30_000, retries: 3 },
  ]) {
    const c = resolveHealthcheck(hc, undefined)!;
    for (const probeMs of [0, 7]) {
      const docker = simulate(c, () => false, { eager: false, until: 200_000, probeMs });
      const berth = simulate(c, () => false, { eager: true, until: 200_000, probeMs });
      assert.ok(docker.changes.length === 1 && docker.changes[0]![1] === 'unhealthy', JSON.stringify(docker.changes));
      assert.equal(berth.changes, docker.changes, `${JSON.stringify(hc)} probes of ${probeMs} ms`);
      assert.ok(berth.probes.length > docker.probes.length, 'eager probes ran');
    }
  }
});

test('eager probes stop once `interval` has passed since the start, and after the first success', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'], interval: 1000, start_period: 10_000, start_interval: 5000 }, undefined)!;
  const berth = simulate(c, () => false, { eager: true, until: 12_000 });
  assert.equal(
    berth.probes.filter((t) => t < 1000),
    [50, 150, 350, 750],
    'eager probes only within the first interval',
  );
  const flappy = simulate(c, (t) => t >= 300 && t < 400, { eager: true, until: 12_000 });
  assert.equal(
    flappy.probes.filter((t) => t < 5000),
    [50, 150, 350],
    'healthy at 350: no more eager probes',
  );
});

test('a health loop that starts late (supervisor scan) probes at once eagerly', () => {
  const c = resolveHealthcheck({ test: ['CMD', 'x'], interval: 1000 }, undefined)!;
  const berth = simulate(c, () => true, { eager: true, until: 2000, loopStart: 200 });
  assert.equal(berth.changes, [[200, 'healthy']]);
});

test.run();
