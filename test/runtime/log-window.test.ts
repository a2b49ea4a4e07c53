import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readLogWindow, WINDOW_CHUNK } from '../../src/runtime/log-window.js';
const { mkdtempSync, appendFileSync, writeFileSync, rmSync, statSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');

// line i is written at millisecond floor(i / 4) (four lines share each millisecond), with ns
const time = (i: number): string => new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 4)).toISOString().replace('Z', `${String(i % 4).padStart(6, '0')}Z`);
const entry = (i: number, text = `line ${i}`): string => `${JSON.stringify({ time: time(i), stream: 'stdout', log: `${text}\n` })}\n`;
const texts = (lines: readonly { text: string }[]): string[] => lines.map((l) => l.text.trimEnd());
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, k) => `line ${from + k}`);
/** The ISO prefix of line i's millisecond: orders before every line of it. */
const ms = (i: number): string => time(i).slice(0, 23);

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-window-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A log of `n` lines written in chunks (a fast service's file). */
function bigLog(file: string, n: number, from = 0): void {
  writeFileSync(file, '');
  for (let i = from; i < from + n; i += 10_000) {
    let chunk = '';
    for (let k = i; k < Math.min(from + n, i + 10_000); k++) chunk += entry(k);
    appendFileSync(file, chunk);
  }
}

test('tail before a time: the last N lines ending just before it, in order; bytes read bounded by the page, not the file', () =>
  withDir((dir) => {
    const file = join(dir, 'log');
    bigLog(file, 200_000);
    const size = statSync(file).size;
    for (const at of [150_000, 50_000, 10, 199_996]) {
      const stats = { read: 0 };
      const got = readLogWindow([file], { before: ms(at), tail: 100, stats });
      // `before` is a millisecond: every line of at's millisecond and later is out
      const end = at - (at % 4);
      assert.equal(texts(got), range(Math.max(0, end - 100), end), `before line ${at}`);
      assert.ok(stats.read < 8 * WINDOW_CHUNK, `read ${stats.read} of ${size} bytes for a page before line ${at}`);
    }
  }));

test('head from a time: the first N lines from it on, stopped at `before`', () =>
  withDir((dir) => {
    const file = join(dir, 'log');
    bigLog(file, 200_000);
    const stats = { read: 0 };
    assert.equal(texts(readLogWindow([file], { since: ms(120_001), head: 50, stats })), range(120_000, 120_050));
    assert.ok(stats.read < 8 * WINDOW_CHUNK, `read ${stats.read} bytes`);
    assert.equal(texts(readLogWindow([file], { since: ms(120_000), before: ms(120_008), head: 50 })), range(120_000, 120_008));
    assert.equal(texts(readLogWindow([file], { since: ms(300_000), head: 5 })), []);
    assert.equal(texts(readLogWindow([file], { since: ms(0), head: 3 })), range(0, 3));
  }));

test('tail with since: stops at the window start; all of a short window', () =>
  withDir((dir) => {
    const file = join(dir, 'log');
    bigLog(file, 1000);
    assert.equal(texts(readLogWindow([file], { since: ms(500), before: ms(520), tail: 100 })), range(500, 520));
    assert.equal(texts(readLogWindow([file], { tail: 3 })), range(997, 1000));
    assert.equal(texts(readLogWindow([file], { tail: 5000 })), range(0, 1000));
    assert.equal(texts(readLogWindow([file], { tail: 0 })), []);
  }));

test('rotated files: one sequence, oldest file first, a page across the seam', () =>
  withDir((dir) => {
    const file = join(dir, 'log');
    bigLog(`${file}.2`, 3000, 0);
    bigLog(`${file}.1`, 3000, 3000);
    bigLog(file, 3000, 6000);
    const files = [`${file}.2`, `${file}.1`, file];
    assert.equal(texts(readLogWindow(files, { before: ms(6020), tail: 40 })), range(5980, 6020));
    assert.equal(texts(readLogWindow(files, { since: ms(2990), head: 20 })), range(2988, 3008));
    assert.equal(texts(readLogWindow([`${file}.gone`, file], { tail: 2 })), range(8998, 9000), 'a file rotated away meanwhile is passed over');
  }));

test('lines longer than a read, UTF-8 cut by chunk edges, a last line without its newline', () =>
  withDir((dir) => {
    const file = join(dir, 'log');
    const long = 'é'.repeat(WINDOW_CHUNK); // 2 bytes each: the line spans three chunks
    writeFileSync(file, entry(0) + entry(1, long) + entry(2, `ü${long}`) + entry(3));
    appendFileSync(file, entry(4).trimEnd());
    assert.equal(texts(readLogWindow([file], { tail: 5 })), ['line 0', long, `ü${long}`, 'line 3', 'line 4']);
    assert.equal(texts(readLogWindow([file], { tail: 2, before: ms(4) })), [`ü${long}`, 'line 3']);
    assert.equal(texts(readLogWindow([file], { head: 3 })), ['line 0', long, `ü${long}`]);
    writeFileSync(file, '');
    assert.equal(readLogWindow([file], { tail: 5 }), []);
    assert.equal(readLogWindow([file], { since: ms(0), head: 5 }), []);
  }));

test.run();
