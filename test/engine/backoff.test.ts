import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextBackoff, initialBackoff, parseRestartPolicy, shouldRestart } from '../../src/engine/backoff.js';

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

test.run();
