import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextBackoff, initialBackoff, parseRestartPolicy, shouldRestart, deployRestartPolicy, countedRestarts, restartDelay } from '../../src/engine/backoff.js';

test('backoff starts at 100 ms, doubles, caps at one minute', () => {
  let s = initialBackoff;
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    const n = nextBackoff(s, 50);
    delays.push(n.delayMs);
    s = n;
  }
  assert.equal(delays, [100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]);
  assert.is(s.restarts, 12);
});

test('a run of 10 s resets the delay', () => {
  let s = nextBackoff(nextBackoff(initialBackoff, 0), 0);
  assert.is(s.delayMs, 200);
  s = nextBackoff(s, 10_000);
  assert.is(s.delayMs, 100);
});

test('restart policies', () => {
  assert.equal(parseRestartPolicy(undefined), { name: 'no' });
  assert.equal(parseRestartPolicy('on-failure:3'), { name: 'on-failure', maxRetries: 3 });
  assert.equal(parseRestartPolicy('on-failure'), { name: 'on-failure' });
  assert.equal(parseRestartPolicy('unless-stopped'), { name: 'unless-stopped' });
  assert.equal(parseRestartPolicy('any', 2), { name: 'on-failure', maxRetries: 2 });
  const of = parseRestartPolicy('on-failure:2');
  assert.ok(shouldRestart(of, 1, 0, false));
  assert.ok(shouldRestart(of, 1, 1, false));
  assert.not.ok(shouldRestart(of, 1, 2, false));
  assert.not.ok(shouldRestart(of, 0, 0, false));
  assert.ok(shouldRestart(parseRestartPolicy('always'), 0, 100, false));
  assert.not.ok(shouldRestart(parseRestartPolicy('always'), 1, 0, true), 'stopped by the user: never');
  assert.not.ok(shouldRestart(parseRestartPolicy('no'), 1, 0, false));
});

test('deploy.restart_policy: condition, max_attempts, delay, window', () => {
  assert.equal(deployRestartPolicy({}), { name: 'always' }, 'condition defaults to any');
  assert.equal(deployRestartPolicy({ condition: 'none', maxAttempts: 3 }), { name: 'no' });
  const any = deployRestartPolicy({ condition: 'any', maxAttempts: 2, delayMs: 300 });
  assert.equal(any, { name: 'always', maxRetries: 2, delayMs: 300 });
  assert.ok(shouldRestart(any, 0, 1, false), 'any: a clean exit restarts too');
  assert.not.ok(shouldRestart(any, 0, 2, false), 'max_attempts reached');
  const of = deployRestartPolicy({ condition: 'on-failure', maxAttempts: 1 });
  assert.not.ok(shouldRestart(of, 0, 0, false));
  assert.ok(shouldRestart(of, 1, 0, false));
});

test("restart_policy.delay replaces the backoff; without it Docker's backoff stays", () => {
  const fixed = deployRestartPolicy({ delayMs: 300 });
  let s = restartDelay(fixed, initialBackoff, 0);
  assert.is(s.delayMs, 300);
  s = restartDelay(fixed, s, 0);
  assert.is(s.delayMs, 300);
  const plain = deployRestartPolicy({});
  assert.is(restartDelay(plain, restartDelay(plain, initialBackoff, 0), 0).delayMs, 200);
  assert.is(restartDelay(deployRestartPolicy({ delayMs: 0 }), initialBackoff, 0).delayMs, 0);
});

test('restart_policy.window: only recent restarts count against max_attempts', () => {
  const p = deployRestartPolicy({ maxAttempts: 2, windowMs: 1000 });
  assert.is(countedRestarts(p, 5, [100, 1500, 1900], 2000), 2);
  assert.not.ok(shouldRestart(p, 1, countedRestarts(p, 5, [1500, 1900], 2000), false));
  assert.ok(shouldRestart(p, 1, countedRestarts(p, 5, [1500, 1900], 2600), false), 'the window moved on');
  assert.is(countedRestarts(deployRestartPolicy({ maxAttempts: 2 }), 5, [1900], 2000), 5, 'no window: every restart counts');
});

test.run();
