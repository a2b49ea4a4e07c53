// The follower's default waits against a real file: an idle wait ends at a write (inotify).
// Bounded by a 10 s guard that fails the test instead of hanging it; nothing here is timed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logWaits } from '../../src/runtime/log-waits.js';
const { mkdtempSync, appendFileSync, writeFileSync, renameSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');
const { setTimeout: sleep } = process.getBuiltinModule('node:timers/promises');

/** 'woken' when `wait` resolves before the guard. */
async function woken(wait: Promise<void>): Promise<string> {
  const guard = new AbortController();
  try {
    return await Promise.race([wait.then(() => 'woken'), sleep(10_000, 'not woken', { signal: guard.signal })]);
  } finally {
    guard.abort();
  }
}

/** `fn` with the waits of a log file in a fresh folder (made empty unless `make` is false); all removed after. */
async function withWaits(fn: (file: string, waits: ReturnType<typeof logWaits>) => Promise<void>, make = true): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-waits-'));
  const file = join(dir, 'log');
  if (make) writeFileSync(file, '');
  const waits = logWaits(file);
  try {
    await fn(file, waits);
  } finally {
    waits.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('logWaits: an idle wait (an hour) ends at the next write to the file, and again after the file was rotated (renamed, a new one made)', () =>
  withWaits(async (file, waits) => {
    let wait = waits.wait(3_600_000, true);
    appendFileSync(file, 'a\n');
    assert.is(await woken(wait), 'woken', 'a write wakes it');
    wait = waits.wait(3_600_000, true);
    appendFileSync(file, 'b\n');
    assert.is(await woken(wait), 'woken', 'the next write too');
    wait = waits.wait(3_600_000, true);
    renameSync(file, `${file}.1`);
    assert.is(await woken(wait), 'woken', 'the rotation wakes it');
    writeFileSync(file, '');
    wait = waits.wait(3_600_000, true);
    appendFileSync(file, 'c\n');
    assert.is(await woken(wait), 'woken', 'a write to the new file');
  }));

test("logWaits: a write between the follower's last look and the idle wait ends the wait at once (the size it saw is not the size now)", () =>
  withWaits(async (file, waits) => {
    appendFileSync(file, 'a\n');
    assert.is(await woken(waits.wait(3_600_000, true, 0)), 'woken');
  }));

test('logWaits: a wait on a file not made yet is a timer', () =>
  withWaits(async (_file, waits) => {
    assert.is(await woken(waits.wait(1, true)), 'woken');
  }, false));

test.run();
