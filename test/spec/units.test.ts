import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, parseBytes, parseDuration } from '../../src/spec/units.js';

test('parseDuration reads Go durations and d/w', () => {
  assert.is(parseDuration('1m30s'), 90e9);
  assert.is(parseDuration('1.5h'), 5400e9);
  assert.is(parseDuration('300ms'), 300e6);
  assert.is(parseDuration('10us'), 10e3);
  assert.is(parseDuration('0'), 0);
  assert.is(parseDuration('2d'), 2 * 86400e9);
  assert.is(parseDuration('10'), undefined);
  assert.is(parseDuration('10 parsecs'), undefined);
});

test('formatDuration prints like Go Duration.String()', () => {
  assert.is(formatDuration(90e9), '1m30s');
  assert.is(formatDuration(3600e9), '1h0m0s');
  assert.is(formatDuration(500e6), '500ms');
  assert.is(formatDuration(1.5e9), '1.5s');
  assert.is(formatDuration(0), '0s');
  assert.is(formatDuration(2500), '2.5µs');
});

test('parseBytes uses binary units', () => {
  assert.is(parseBytes('512m'), 512 * 1024 * 1024);
  assert.is(parseBytes('1g'), 1024 ** 3);
  assert.is(parseBytes('1.5GB'), 1.5 * 1024 ** 3);
  assert.is(parseBytes('100'), 100);
  assert.is(parseBytes(4096), 4096);
  assert.is(parseBytes('lots'), undefined);
});

test.run();
