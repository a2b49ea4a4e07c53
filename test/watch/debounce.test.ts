import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Debouncer, type Timers } from '../../src/watch/debounce.js';

function manualClock(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    set(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear(h) {
      pending.delete(h as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of pending) {
        if (t.at > now) continue;
        pending.delete(id);
        t.fn();
      }
    },
  };
}

test('a burst becomes one sorted, deduplicated batch after the quiet period', () => {
  const clock = manualClock();
  const batches: string[][] = [];
  const d = new Debouncer(500, (b) => batches.push(b), clock);
  d.add('/b');
  clock.advance(300);
  d.add('/a');
  d.add('/b');
  clock.advance(499);
  assert.equal(batches, [], 'every event restarts the quiet period');
  clock.advance(1);
  assert.equal(batches, [['/a', '/b']]);
  d.add('/c');
  clock.advance(500);
  assert.equal(batches, [['/a', '/b'], ['/c']]);
});

test('stop drops pending events', () => {
  const clock = manualClock();
  const batches: string[][] = [];
  const d = new Debouncer(500, (b) => batches.push(b), clock);
  d.add('/x');
  d.stop();
  clock.advance(1000);
  assert.equal(batches, []);
});

test.run();
