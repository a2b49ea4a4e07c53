// The follower's pace on a fake clock: a writer appends lines at virtual times; the follower's
// waits move the clock (an idle wait ends at the next write, as the file watch makes it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { followLogFile, SCREEN_PACE, STREAM_PACE } from '../../src/runtime/log-follow.js';
const { mkdtempSync, appendFileSync, writeFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');

/** A follower's lines one at a time (it hands them out a read's batch at a time). */
async function* each<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const b of batches) yield* b;
}

const entry = (i: number): string => `${JSON.stringify({ time: `2026-01-01T00:00:00.${String(i).padStart(9, '0')}Z`, stream: 'stdout', log: `line ${i}\n` })}\n`;

/**
 * Follows a fresh log file whose writer appends line i at virtual ms `at[i]` (sorted): every
 * line as the follower handed it out, with the virtual time it came out at.
 */
async function follow(at: readonly number[]): Promise<{ lines: { n: number; written: number; out: number }[]; waits: { ms: number; idle: boolean }[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-pace-'));
  try {
    const file = join(dir, 'log');
    writeFileSync(file, '');
    let now = 0;
    let next = 0;
    const writeDue = (): void => {
      let chunk = '';
      while (next < at.length && at[next]! <= now) chunk += entry(next++);
      if (chunk) appendFileSync(file, chunk);
    };
    writeDue();
    const waits: { ms: number; idle: boolean }[] = [];
    const wait = async (ms: number, idle: boolean): Promise<void> => {
      waits.push({ ms, idle });
      // an idle wait ends at the next write (the file watch), a pace only on the clock
      now = idle && next < at.length ? Math.min(now + ms, at[next]!) : now + ms;
      writeDue();
    };
    const lines: { n: number; written: number; out: number }[] = [];
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => next >= at.length, wait }))) {
      const n = Number(/^line (\d+)/.exec(l.text)?.[1]);
      lines.push({ n, written: at[n]!, out: now });
    }
    return { lines, waits };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const inOrder = (lines: readonly { n: number }[], count: number): void =>
  assert.equal(
    lines.map((l) => l.n),
    Array.from({ length: count }, (_, i) => i),
    'every line, once, in order',
  );
/** The virtual times at which lines came out: one per read. */
const reads = (lines: readonly { out: number }[]): number => new Set(lines.map((l) => l.out)).size;

test('pace: a writer logging flat out (20 lines a ms for 2 s) is read in batches, one read per pace, none lost or reordered', async () => {
  const at = Array.from({ length: 40_000 }, (_, i) => Math.floor(i / 20));
  const { lines, waits } = await follow(at);
  inOrder(lines, at.length);
  // read on every write, that would be 2000 reads; paced, one per 25 ms
  const bound = Math.ceil(2000 / STREAM_PACE.everyMs) + 1;
  assert.ok(reads(lines) <= bound, `${reads(lines)} reads (at most ${bound})`);
  assert.ok(
    waits.every((w) => w.idle || w.ms === STREAM_PACE.everyMs),
    'between reads, the pace',
  );
  // and no line waits longer than a pace for its read
  assert.ok(
    lines.every((l) => l.out - l.written <= STREAM_PACE.everyMs),
    `longest wait ${Math.max(...lines.map((l) => l.out - l.written))} ms`,
  );
});

test("pace: a quiet service's lone line is read as it is written (the idle wait ends at the write), not at the next poll", async () => {
  const at = [0, 5000, 12_345, 60_000];
  const { lines } = await follow(at);
  inOrder(lines, at.length);
  assert.equal(
    lines.map((l) => l.out - l.written),
    [0, 0, 0, 0],
    'each line out at the moment it was written',
  );
});

test('pace: a burst after a quiet spell: its first line comes at once, the rest after at most one pace, in one batch', async () => {
  // a stack trace: 1 line, then 30 more over the next 3 ms; later a line alone again
  const at = [1000, ...Array.from({ length: 30 }, (_, i) => 1001 + Math.floor(i / 10)), 9000];
  const { lines } = await follow(at);
  inOrder(lines, at.length);
  assert.is(lines[0]!.out, 1000, 'the first line at once');
  const rest = lines.slice(1, 31);
  assert.ok(
    rest.every((l) => l.out === 1000 + STREAM_PACE.everyMs),
    `the rest together after one pace: ${[...new Set(rest.map((l) => l.out))].join(', ')}`,
  );
  assert.is(lines[31]!.out, 9000, 'the next lone line at once');
});

test('pace: bursts and quiet spells mixed (a fixed pseudo-random writer): every line in order, none later than one pace after its write', async () => {
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const at: number[] = [];
  for (let t = 0; at.length < 20_000;) {
    t += random() < 0.2 ? Math.floor(random() * 400) : 0; // a quiet spell now and then
    const burst = Math.floor(random() * 200);
    for (let i = 0; i < burst; i++) at.push(t + Math.floor(i / 50));
    t += Math.ceil(burst / 50);
  }
  const { lines } = await follow(at);
  inOrder(lines, at.length);
  const worst = Math.max(...lines.map((l) => l.out - l.written));
  assert.ok(worst <= STREAM_PACE.everyMs, `longest wait ${worst} ms (a pace is ${STREAM_PACE.everyMs})`);
  assert.ok(reads(lines) < at.length / 20, `${reads(lines)} reads for ${at.length} lines`);
});

test('pace: the screen and the stream share the rule (one read, then the pace); a screen reads less per pace, more rarely', () => {
  assert.ok(SCREEN_PACE.maxRead < STREAM_PACE.maxRead && SCREEN_PACE.everyMs >= STREAM_PACE.everyMs);
  assert.ok(SCREEN_PACE.whenBehind && !STREAM_PACE.whenBehind, 'a screen waits behind too (it skips); a stream reads a backlog on');
});

test.run();
