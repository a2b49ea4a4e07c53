import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyProbe, initialHealth, nextProbeDelay, probeArgv, resolveHealthcheck, HEALTH_DEFAULTS } from '../../src/engine/health.js';

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

test.run();
