import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectivePullPolicy, lastPulled, pullInterval, pullPolicyFor, recordPull } from '../../src/engine/pull-policy.js';

const H = 3_600_000;

test('timed policies: daily, weekly, every_<duration>', () => {
  assert.is(pullInterval('daily'), 24 * H);
  assert.is(pullInterval('weekly'), 7 * 24 * H);
  assert.is(pullInterval('every_12h'), 12 * H);
  assert.is(pullInterval('every_1w2d'), 9 * 24 * H);
  assert.is(pullInterval('every_90s'), 90_000);
  assert.is(pullInterval('missing'), undefined);
  assert.is(pullInterval('every_'), undefined);
});

test('a timed policy pulls when the last pull is older than its interval (or unknown)', () => {
  const now = 100 * 24 * H;
  assert.is(effectivePullPolicy('daily', now - 2 * H, now), 'missing');
  assert.is(effectivePullPolicy('daily', now - 25 * H, now), 'always');
  assert.is(effectivePullPolicy('daily', undefined, now), 'always');
  assert.is(effectivePullPolicy('every_1h', now - 59 * 60_000, now), 'missing');
  assert.is(effectivePullPolicy('always', now, now), 'always');
  assert.is(effectivePullPolicy('never', undefined, now), 'never');
  assert.is(effectivePullPolicy(undefined, undefined, now), 'missing');
  assert.is(effectivePullPolicy('refresh', now, now), 'always');
});

test('pull times are recorded per reference under the state root', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-pulls-'));
  try {
    const paths = { root, run: join(root, 'run') };
    assert.is(lastPulled(paths, 'busybox:1.36'), undefined);
    recordPull(paths, 'busybox:1.36', 1234);
    assert.is(lastPulled(paths, 'busybox:1.36'), 1234);
    assert.is(lastPulled(paths, 'busybox:latest'), undefined);
    assert.is(pullPolicyFor(paths, 'busybox:1.36', 'weekly', 1234 + H), 'missing');
    assert.is(pullPolicyFor(paths, 'busybox:1.36', 'every_30m', 1234 + H), 'always');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
