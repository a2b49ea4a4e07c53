// Scrolling back through real log files: the dashboard's history window over the shim's JSON
// lines, read as the engine reads a page (runtime/log-window: the place of the cursor's time
// bisected, the page read backwards or forwards in chunks). Every page is exact, and a page
// step reads a bounded number of bytes however far back it is and however big the files are.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogLine } from '../../../src/api/index.js';
import type { HistoryRead } from '../../../src/ui/dashboard/index.js';
import { readLogWindow, WINDOW_CHUNK } from '../../../src/runtime/log-window.js';
import { windowOf } from '../../../src/engine/logs.js';
const { mkdtempSync, appendFileSync, writeFileSync, rmSync, statSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { tmpdir } = process.getBuiltinModule('node:os');

const { LogStore, LogHistory, paneLines } = await import('../../../src/ui/dashboard/index.js');

const N = 100_000; // lines per service: ~10 MB files
const SERVICES = ['web', 'db'];
const T0 = Date.UTC(2026, 0, 1);
// line i of each service at millisecond floor(i / 4), with nanoseconds (as the shim writes)
const iso = (i: number): string => new Date(T0 + Math.floor(i / 4)).toISOString().replace('Z', `${String(i % 4).padStart(6, '0')}Z`);
const text = (s: string, i: number): string => `${s} ${i}`;
const apiLine = (s: string, i: number): LogLine => ({ service: s, container: `demo-${s}-1`, number: 1, stream: 'stdout', time: T0 + Math.floor(i / 4), text: text(s, i) });

const dir = mkdtempSync(join(tmpdir(), 'berth-scroll-files-'));
const files: Record<string, string> = {};
for (const s of SERVICES) {
  files[s] = join(dir, `${s}.log`);
  writeFileSync(files[s], '');
  for (let i = 0; i < N; i += 10_000) {
    let chunk = '';
    for (let k = i; k < i + 10_000; k++) chunk += `${JSON.stringify({ time: iso(k), stream: 'stdout', log: `${text(s, k)}\n` })}\n`;
    appendFileSync(files[s], chunk);
  }
}
// the merged order of the files: by millisecond, then web's lines of it, then db's
const merged: string[] = [];
for (let ms = 0; ms < N / 4; ms++) for (const s of SERVICES) for (let k = ms * 4; k < ms * 4 + 4; k++) merged.push(text(s, k));

/** Bytes each read took. */
const perRead: number[] = [];
/** The CLI's history reader over the engine's page read of each container's file. */
async function reader(read: HistoryRead): Promise<LogLine[]> {
  const stats = { read: 0 };
  const out: LogLine[] = [];
  for (const s of SERVICES) {
    if (read.service !== undefined && read.service !== s) continue;
    for (const l of readLogWindow([files[s]!], { ...windowOf(read), stats })) {
      const i = Number(l.text.trimEnd().split(' ')[1]);
      out.push(apiLine(s, i));
    }
  }
  perRead.push(stats.read);
  return out.sort((a, b) => a.time - b.time);
}

function setup() {
  // memory: the newest 1000 lines of each service, arrived in the merged order
  const logs = new LogStore(1000);
  for (let ms = N / 4 - 250; ms < N / 4; ms++) for (const s of SERVICES) for (let k = ms * 4; k < ms * 4 + 4; k++) logs.add(apiLine(s, k));
  return { logs, history: new LogHistory(reader, () => undefined, 2000) };
}

async function settled(logs: InstanceType<typeof LogStore>, history: InstanceType<typeof LogHistory>, scroll: number, page: number, service?: string) {
  for (let i = 0; i < 100; i++) {
    const got = paneLines(logs, history, { logService: service, search: undefined, scroll }, page);
    if (got.files !== 'reading the log files…') return got;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the reads never finished');
}

const expected = (all: readonly string[], scroll: number, page: number): string[] => all.slice(Math.max(0, all.length - scroll - page), all.length - scroll);

test('paging back through 10 MB files and forward again: every page exact, each read bounded by the page, not the files', async () => {
  const { logs, history } = setup();
  const page = 20;
  const size = statSync(files.web!).size;
  // PgUp: past memory, 200 pages into the files; then PgDn back towards memory
  let scroll = logs.count({}) - 5;
  for (let i = 0; i < 200; i++, scroll += page) {
    const got = await settled(logs, history, scroll, page);
    assert.equal(
      got.lines.map((l) => l.text),
      expected(merged, scroll, page),
      `scrolled back ${scroll}`,
    );
  }
  for (let i = 0; i < 60; i++, scroll -= page) {
    const got = await settled(logs, history, scroll, page);
    assert.equal(
      got.lines.map((l) => l.text),
      expected(merged, scroll, page),
      `scrolled forward to ${scroll}`,
    );
  }
  assert.ok(history.held <= 2000, `held ${history.held} lines (window 2000)`);
  assert.ok(perRead.length > 5, `${perRead.length} reads`);
  const most = Math.max(...perRead);
  assert.ok(most < 16 * WINDOW_CHUNK, `a page read took at most ${most} bytes of two ${size}-byte files`);
});

test('one service, from its newest lines to the first line of its file: bounded reads all the way', async () => {
  const { logs, history } = setup();
  perRead.length = 0;
  const web = merged.filter((t) => t.startsWith('web '));
  // far back in one jump: the window walks there a read at a time
  let view = paneLines(logs, history, { logService: 'web', search: undefined, scroll: N - 10 }, 10);
  for (let i = 0; i < 5000 && view.lines[0]?.text !== 'web 0'; i++) {
    await new Promise((r) => setImmediate(r));
    view = paneLines(logs, history, { logService: 'web', search: undefined, scroll: N - 10 }, 10);
  }
  assert.equal(
    view.lines.map((l) => l.text),
    expected(web, N - 10, 10),
  );
  assert.ok(Math.max(...perRead) < 16 * WINDOW_CHUNK, `each read at most ${Math.max(...perRead)} bytes`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
