import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { followLogFile } from '../../src/runtime/log-follow.js';
const { mkdtempSync, appendFileSync, writeFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');

/** A follower's lines one at a time (it hands them out a read's batch at a time). */
async function* each<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const b of batches) yield* b;
}

const entry = (i: number): string => `${JSON.stringify({ time: `2026-01-01T00:00:00.${String(i).padStart(9, '0')}Z`, stream: 'stdout', log: `line ${i} ${'x'.repeat(80)}\n` })}\n`;

/** `fn` with a fresh log file (removed after). */
async function withLog(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-follow-'));
  try {
    const file = join(dir, 'log');
    writeFileSync(file, '');
    await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fake fast producer: `produce(n)` appends the next n of `total` numbered lines. */
function producer(file: string, total: number) {
  const p = {
    written: 0,
    produce(n: number): void {
      let chunk = '';
      for (let i = 0; i < n && p.written < total; i++) chunk += entry(p.written++);
      if (chunk) appendFileSync(file, chunk);
    },
    get done(): boolean {
      return p.written >= total;
    },
  };
  return p;
}

test('follow: a producer faster than the consumer stays in the file, not in memory (at most maxRead bytes ahead)', () =>
  withLog(async (file) => {
    // every poll and every line the consumer takes, the producer writes 50 more lines
    const p = producer(file, 20_000);
    p.produce(5000);
    const stats = { read: 0 };
    const maxRead = 64 * 1024;
    let seen = 0;
    let consumedBytes = 0;
    let worstAhead = 0;
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => p.done, wait: async () => p.produce(50), maxRead, stats }))) {
      assert.is(l.text, `line ${seen} ${'x'.repeat(80)}\n`);
      consumedBytes += Buffer.byteLength(entry(seen));
      seen++;
      worstAhead = Math.max(worstAhead, stats.read - consumedBytes);
      p.produce(50);
    }
    assert.is(seen, 20_000, 'every line delivered, in order');
    // the file grew to ~2.2 MB ahead of the consumer; the follower never held more than one read
    assert.ok(worstAhead <= maxRead, `read ${worstAhead} bytes ahead of the consumer (bound ${maxRead})`);
  }));

test('follow: a UTF-8 character cut by a read boundary arrives whole', () =>
  withLog(async (file) => {
    const text = 'é'.repeat(100);
    writeFileSync(file, `${JSON.stringify({ time: 't', stream: 'stdout', log: text })}\n`);
    const out: string[] = [];
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => true, maxRead: 7 }))) out.push(l.text);
    assert.equal(out, [text]);
  }));

test('skipAfter: far behind, the follower skips to the newest lines; the next line says how many were skipped (the first skip counted, later ones estimated from the lines read), in order', () =>
  withLog(async (file) => {
    const p = producer(file, 50_000);
    p.produce(5000);
    const stats = { read: 0 };
    let next = 0;
    let shown = 0;
    let counted = 0;
    let estimated = 0;
    let skips = 0;
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => p.done, wait: async () => p.produce(500), maxRead: 64 * 1024, skipAfter: 256 * 1024, stats }))) {
      const at = Number(/^line (\d+) /.exec(l.text)?.[1]);
      if (l.skipped) {
        skips++;
        if (l.skippedEstimate) estimated += at - next;
        else {
          assert.is(at, next + l.skipped, 'a counted skip is exact');
          counted += l.skipped;
        }
        // an estimate is close: the lines read so far are about as long as the ones skipped
        if (l.skippedEstimate) assert.ok(Math.abs(l.skipped - (at - next)) <= (at - next) * 0.05, `estimated ${l.skipped} for ${at - next}`);
      } else assert.is(at, next, 'in order, none missing without a skip');
      next = at + 1;
      shown++;
      p.produce(20);
    }
    assert.is(shown + counted + estimated, 50_000, 'every line shown or skipped');
    assert.ok(skips > 1 && estimated > 0, `${skips} skips, ${estimated} lines estimated`);
    assert.ok(stats.read < 50_000 * 100, `parsed bytes ${stats.read}: the skipped part was not read into lines`);
  }));

test('skipAfter: a screen follower reads at most maxRead per wait (paced), however much the file holds', () =>
  withLog(async (file) => {
    const p = producer(file, 3000);
    p.produce(3000);
    const stats = { read: 0 };
    const perWait: number[] = [];
    let lines = 0;
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => true, wait: async () => void perWait.push(stats.read), maxRead: 16 * 1024, skipAfter: 1 << 30, stats })))
      lines += l.text ? 1 : 0;
    assert.is(lines, 3000, 'every line (never far enough behind to skip)');
    const steps = perWait.map((r, i) => r - (perWait[i - 1] ?? 0));
    assert.ok(steps.length >= Math.floor(stats.read / (16 * 1024)), `${steps.length} waits for ${stats.read} bytes`);
    assert.ok(Math.max(...steps) <= 16 * 1024, `at most ${Math.max(...steps)} bytes read between two waits`);
  }));

test('skipAfter: a screen opened on a big file skips to its newest lines without reading the rest (the count estimated from them)', () =>
  withLog(async (file) => {
    const p = producer(file, 60_000); // ~6 MB
    p.produce(60_000);
    const stats = { read: 0 };
    const got: { at: number; skipped?: number; estimate?: boolean }[] = [];
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => true, wait: async () => undefined, maxRead: 8 * 1024, skipAfter: 256 * 1024, stats }))) {
      got.push({ at: Number(/^line (\d+) /.exec(l.text)?.[1]), ...(l.skipped ? { skipped: l.skipped } : {}), ...(l.skippedEstimate ? { estimate: true } : {}) });
    }
    assert.is(got[got.length - 1]!.at, 59_999, 'up to the newest line');
    const first = got[0]!;
    assert.ok(first.estimate && first.skipped !== undefined && Math.abs(first.skipped - first.at) <= first.at * 0.05, `the first line ${first.at} says ~${first.skipped} skipped`);
    assert.ok(stats.read < 64 * 1024, `read ${stats.read} bytes into lines`);
  }));

test('a read of the log as it is now stops at the size it had; a last line without its newline is kept', () =>
  withLog(async (file) => {
    writeFileSync(file, entry(0) + entry(1));
    const end = entry(0).length + entry(1).length;
    appendFileSync(file, entry(2));
    const out: string[] = [];
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => true, end }))) out.push(l.text.slice(0, 6));
    assert.equal(out, ['line 0', 'line 1']);
    appendFileSync(file, entry(3).trimEnd());
    const all: string[] = [];
    for await (const l of each(followLogFile(file, { offset: 0, ino: 0, ended: () => true }))) all.push(l.text.slice(0, 6));
    assert.equal(all, ['line 0', 'line 1', 'line 2', 'line 3']);
  }));

test.run();
