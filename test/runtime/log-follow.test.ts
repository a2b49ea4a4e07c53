import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { followLogFile } from '../../src/runtime/log-follow.js';
const { mkdtempSync, appendFileSync, writeFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');

const entry = (i: number): string => `${JSON.stringify({ time: `2026-01-01T00:00:00.${String(i).padStart(9, '0')}Z`, stream: 'stdout', log: `line ${i} ${'x'.repeat(80)}\n` })}\n`;

test('follow: a producer faster than the consumer stays in the file, not in memory (at most maxRead bytes ahead)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-follow-'));
  const file = join(dir, 'log');
  try {
    writeFileSync(file, '');
    let written = 0;
    // the fake producer: every poll and every line the consumer takes, it writes 50 more lines
    const produce = (n: number): void => {
      let chunk = '';
      for (let i = 0; i < n && written < 20_000; i++) chunk += entry(written++);
      if (chunk) appendFileSync(file, chunk);
    };
    produce(5000);
    const stats = { read: 0 };
    const maxRead = 64 * 1024;
    let seen = 0;
    let consumedBytes = 0;
    let worstAhead = 0;
    for await (const l of followLogFile(file, { offset: 0, ino: 0, ended: () => written >= 20_000, wait: async () => produce(50), maxRead, stats })) {
      assert.is(l.text, `line ${seen} ${'x'.repeat(80)}\n`);
      consumedBytes += Buffer.byteLength(entry(seen));
      seen++;
      worstAhead = Math.max(worstAhead, stats.read - consumedBytes);
      produce(50);
    }
    assert.is(seen, 20_000, 'every line delivered, in order');
    // the file grew to ~2.2 MB ahead of the consumer; the follower never held more than one read
    assert.ok(worstAhead <= maxRead, `read ${worstAhead} bytes ahead of the consumer (bound ${maxRead})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('follow: a UTF-8 character cut by a read boundary arrives whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-follow-'));
  const file = join(dir, 'log');
  try {
    const text = 'é'.repeat(100);
    writeFileSync(file, `${JSON.stringify({ time: 't', stream: 'stdout', log: text })}\n`);
    const out: string[] = [];
    for await (const l of followLogFile(file, { offset: 0, ino: 0, ended: () => true, maxRead: 7 })) out.push(l.text);
    assert.equal(out, [text]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('skipAfter: far behind, the follower skips ahead; the next line says how many were skipped (every line shown or counted, in order)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-follow-'));
  const file = join(dir, 'log');
  try {
    writeFileSync(file, '');
    let written = 0;
    const produce = (n: number): void => {
      let chunk = '';
      for (let i = 0; i < n && written < 50_000; i++) chunk += entry(written++);
      if (chunk) appendFileSync(file, chunk);
    };
    produce(5000);
    const stats = { read: 0 };
    let next = 0;
    let shown = 0;
    let skipped = 0;
    for await (const l of followLogFile(file, { offset: 0, ino: 0, ended: () => written >= 50_000, wait: async () => produce(500), maxRead: 64 * 1024, skipAfter: 256 * 1024, stats })) {
      next += l.skipped ?? 0;
      skipped += l.skipped ?? 0;
      assert.is(l.text, `line ${next} ${'x'.repeat(80)}\n`, 'the line after the skipped ones');
      next++;
      shown++;
      produce(20);
    }
    assert.is(shown + skipped, 50_000, 'every line shown or counted');
    assert.ok(skipped > 0, 'some skipped');
    assert.ok(stats.read < 50_000 * 100, `parsed bytes ${stats.read}: the skipped part was counted, not read into lines`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a read of the log as it is now stops at the size it had; a last line without its newline is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-follow-'));
  const file = join(dir, 'log');
  try {
    writeFileSync(file, entry(0) + entry(1));
    const end = entry(0).length + entry(1).length;
    appendFileSync(file, entry(2));
    const out: string[] = [];
    for await (const l of followLogFile(file, { offset: 0, ino: 0, ended: () => true, end })) out.push(l.text.slice(0, 6));
    assert.equal(out, ['line 0', 'line 1']);
    appendFileSync(file, entry(3).trimEnd());
    const all: string[] = [];
    for await (const l of followLogFile(file, { offset: 0, ino: 0, ended: () => true })) all.push(l.text.slice(0, 6));
    assert.equal(all, ['line 0', 'line 1', 'line 2', 'line 3']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
