// Scrolling back past memory into the log files: the pane's lines come from a bounded window
// read through the engine's `logs` (here a fake of it over two containers' lines), merged by
// time, for all services and for one; following again drops the window.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LogLine } from '../../../src/api/index.js';
import type { HistoryRead } from '../../../src/ui/dashboard/index.js';

const { renderToString } = await import('ink');
const { Dashboard, LogStore, LogHistory, paneLines, initialView } = await import('../../../src/ui/dashboard/index.js');

const N = 600;
const line = (service: string, i: number): LogLine => ({ service, container: `demo-${service}-1`, number: 1, stream: 'stdout', time: 1000 + i, text: `${service} ${i}` });
// both services write one line each millisecond: every line shares its time with the other's
const files: Record<string, LogLine[]> = { web: [], db: [] };
for (let i = 0; i < N; i++) for (const s of ['web', 'db']) files[s]!.push(line(s, i));
const merged = (service?: string): string[] => (service ? files[service]! : [...files.web!, ...files.db!].sort((a, b) => a.time - b.time)).map((l) => l.text);

const reads: HistoryRead[] = [];
/** What the engine's `logs` read does: each container's lines in [since, until], its last `tail` or first `head`; merged by time. */
async function fakeLogs(read: HistoryRead, from: Record<string, LogLine[]> = files): Promise<LogLine[]> {
  reads.push(read);
  const out: LogLine[] = [];
  for (const [service, lines] of Object.entries(from)) {
    if (read.service !== undefined && read.service !== service) continue;
    const inWindow = lines.filter((l) => (read.since === undefined || l.time >= read.since) && (read.until === undefined || l.time <= read.until));
    out.push(...(read.tail !== undefined ? inWindow.slice(Math.max(0, inWindow.length - read.tail)) : read.head !== undefined ? inWindow.slice(0, read.head) : inWindow));
  }
  return out.sort((a, b) => a.time - b.time);
}

function setup(windowLines = 300) {
  const logs = new LogStore(10);
  for (let i = 0; i < N; i++) for (const s of ['web', 'db']) logs.add(line(s, i));
  const history = new LogHistory(fakeLogs, () => undefined, windowLines);
  return { logs, history };
}

/** The pane's lines once the reads it started have finished. */
async function settled(logs: InstanceType<typeof LogStore>, history: InstanceType<typeof LogHistory>, view: { logService?: string; scroll: number }, page: number) {
  for (let i = 0; i < 50; i++) {
    const got = paneLines(logs, history, { logService: view.logService, search: undefined, scroll: view.scroll }, page);
    if (got.files !== 'reading the log files…') return got;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the reads never finished');
}

const expected = (service: string | undefined, scroll: number, page: number): string[] => {
  const all = merged(service);
  return all.slice(Math.max(0, all.length - scroll - page), all.length - scroll);
};

test('all services: past memory the pane reads older lines from the files, merged by time, no line twice or missing at the seam', async () => {
  const { logs, history } = setup();
  const inMemory = logs.count({});
  assert.ok(inMemory < 2 * N, 'memory holds only the newest lines');
  for (const scroll of [inMemory - 3, inMemory, inMemory + 1, inMemory + 250]) {
    const got = await settled(logs, history, { scroll }, 10);
    assert.equal(
      got.lines.map((l) => l.text),
      expected(undefined, scroll, 10),
      `scrolled back ${scroll}`,
    );
    assert.is(got.files, 'from the log files');
  }
});

test('far back and forward again: the window moves both ways and stays bounded', async () => {
  const { logs, history } = setup(300);
  const inMemory = logs.count({});
  let most = 0;
  const at = async (scroll: number) => {
    const got = await settled(logs, history, { scroll }, 10);
    most = Math.max(most, history.held);
    assert.equal(
      got.lines.map((l) => l.text),
      expected(undefined, scroll, 10),
      `scrolled back ${scroll}`,
    );
  };
  for (let s = inMemory; s < inMemory + 900; s += 97) await at(s);
  for (let s = inMemory + 900; s >= inMemory - 5; s -= 89) await at(s);
  assert.ok(most <= 300, `held ${most} file lines at most (window 300)`);
  assert.ok(
    reads.some((r) => r.head !== undefined && r.since !== undefined),
    'read newer lines from a cursor',
  );
  assert.ok(
    reads.some((r) => r.tail !== undefined && r.until !== undefined),
    'read older lines before a cursor',
  );
  // following again drops the window
  paneLines(logs, history, { logService: undefined, search: undefined, scroll: 0 }, 10);
  assert.is(history.held, 0);
});

test('one service logging faster than another: the merged view leaves memory where the fast one was cut', async () => {
  // db wrote 20 lines at the start, web 600 since: memory still has all of db's, only web's newest
  const uneven: Record<string, LogLine[]> = { db: [], web: [] };
  const logs = new LogStore(10);
  for (let i = 0; i < 20; i++) logs.add((uneven.db![uneven.db!.length] = line('db', i)));
  for (let i = 20; i < N; i++) logs.add((uneven.web![uneven.web!.length] = line('web', i)));
  const history = new LogHistory(
    (r) => fakeLogs(r, uneven),
    () => undefined,
  );
  const all = [...uneven.db!, ...uneven.web!].sort((a, b) => a.time - b.time).map((l) => l.text);
  const scroll = logs.count({}) + 2;
  const got = await settled(logs, history, { scroll }, 10);
  assert.equal(
    got.lines.map((l) => l.text),
    all.slice(all.length - scroll - 10, all.length - scroll),
  );
  assert.not.ok(
    got.lines.some((l) => l.service === 'db'),
    "db's lines are older than web's cut: not beside them",
  );
});

test("one service: its own older lines; the files' start is shown", async () => {
  const { logs, history } = setup();
  const inMemory = logs.count({ service: 'web' });
  const got = await settled(logs, history, { logService: 'web', scroll: inMemory + 5 }, 10);
  assert.equal(
    got.lines.map((l) => l.text),
    expected('web', inMemory + 5, 10),
  );
  // PgUp past the files' start: the first page, the scroll held there
  const start = await settled(logs, history, { logService: 'web', scroll: N + 50 }, 10);
  assert.equal(
    start.lines.map((l) => l.text),
    expected('web', N - 10, 10),
  );
  assert.is(start.lines[0]!.text, 'web 0');
  assert.is(start.scroll, N - 10);
  assert.is(start.files, 'from the log files · their start');
  // the next frame at the held scroll (a data frame, the uptime tick) still says so
  const again = await settled(logs, history, { logService: 'web', scroll: start.scroll }, 10);
  assert.is(again.lines[0]!.text, 'web 0');
  assert.is(again.files, 'from the log files · their start');
  // a page above it does not
  assert.is((await settled(logs, history, { logService: 'web', scroll: start.scroll - 1 }, 10)).files, 'from the log files');
});

test('a search stays with the lines in memory (said in the title)', async () => {
  const { logs, history } = setup();
  const got = paneLines(logs, history, { logService: undefined, search: 'web', scroll: logs.count({ search: 'web' }) }, 10);
  assert.is(got.lines.length, 0);
  assert.is(got.files, undefined);
  assert.is(history.held, 0);
});

test('drawn: the pane shows the file lines and says where they come from', async () => {
  const { logs, history } = setup();
  const scroll = logs.count({}) + 100;
  const got = await settled(logs, history, { scroll }, 10);
  const view = { ...initialView, scroll };
  const out = renderToString(<Dashboard project="demo" rows={[]} logs={got.lines} {...(got.files ? { files: got.files } : {})} view={view} width={80} height={24} now={0} color={false} />, {
    columns: 80,
  });
  assert.match(out, `Logs: all services · scrolled back ${scroll} · from the log files`);
  for (const text of expected(undefined, scroll, 10)) assert.match(out, text);
  const search = renderToString(<Dashboard project="demo" rows={[]} logs={[]} matches={3} view={{ ...initialView, search: 'x' }} width={100} height={24} now={0} color={false} />, { columns: 100 });
  assert.match(search, '3 lines in memory');
});

test('lines a follower skipped to keep the screen current: a marker where they were', async () => {
  const { openDashboard } = await import('../../../src/ui/dashboard/index.js');
  const { capture } = await import('../capture.js');
  const { PassThrough } = await import('node:stream');
  const out = capture(true);
  const dash = openDashboard(
    { stdin: new PassThrough(), stdout: out.stream, stderr: capture().stream },
    { project: 'demo', color: false, onAction: () => undefined, now: () => 0, alternateScreen: false },
  );
  dash.log(line('web', 1));
  dash.log({ ...line('web', 5000), skipped: 4998 });
  // a service logging flat out: the follower did not read what it passed over, the count is estimated
  dash.log({ ...line('web', 90_000), skipped: 85_000, skippedEstimate: true });
  assert.equal(
    dash.logs.tail({}, 5).map((l) => l.text),
    ['web 1', '… 4998 lines of web-1 skipped on screen (all in the log files)', 'web 5000', '… ~85000 lines of web-1 skipped on screen (all in the log files)', 'web 90000'],
  );
  await dash.close();
});

test.run();
