// Component tests: the dashboard drawn with ink's renderToString for each state a row can
// be in, the log pane's bounds, search highlight and NO_COLOR, and the layout at 80x24.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EngineEvent } from '../../../src/api/index.js';
import type { ViewState } from '../../../src/ui/dashboard/index.js';
import { graphemes } from '../../../src/ui/dashboard/format.js';

// colours on (ink's colour support is decided when it loads): NO_COLOR is the dashboard's choice
process.env.FORCE_COLOR = '1';
const { renderToString } = await import('ink');
const { Dashboard, DashboardModel, LogStore, initialView, dataFrameGap } = await import('../../../src/ui/dashboard/index.js');

const T = 1_000_000;
const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const c = (action: string, container: string, extra: Record<string, unknown> = {}): EngineEvent =>
  ({ kind: 'container', action, time: T, project: 'demo', service: container.replace(/^demo-|-\d+$/g, ''), container, ...extra }) as EngineEvent;

function draw(events: readonly EngineEvent[], options: { width?: number; height?: number; view?: Partial<ViewState>; lines?: [string, string][]; color?: boolean; now?: number } = {}): string {
  const model = new DashboardModel();
  for (const e of events) model.apply(e);
  const logs = new LogStore();
  for (const [service, text] of options.lines ?? []) logs.add({ service, container: `demo-${service}-1`, number: 1, stream: 'stdout', time: T, text });
  const view = { ...initialView, ...options.view };
  const width = options.width ?? 100;
  const query = { ...(view.search ? { search: view.search } : {}), ...(view.logService ? { service: view.logService } : {}) };
  const out = renderToString(
    <Dashboard project="demo" rows={model.rows()} logs={logs.tail(query, 50)} view={view} width={width} height={options.height ?? 24} now={options.now ?? T + 65_000} color={options.color ?? false} />,
    { columns: width },
  );
  return options.color ? out : strip(out);
}

const rowOf = (screen: string, key: string): string => screen.split('\n').find((l) => l.includes(` ${key} `) || l.startsWith(`>${key} `)) ?? '';

test('pulling: bytes, rate and ETA in the row; per-layer bars under the table', () => {
  const ev = (at: number, cur: number): EngineEvent => ({
    kind: 'image',
    action: 'progress',
    time: at,
    image: 'busybox:1.36',
    services: ['web'],
    current: cur,
    total: 4 << 20,
    layers: [
      { id: 'aaaaaaaaaaaa', current: cur, total: 3 << 20 },
      { id: 'bbbbbbbbbbbb', current: 0, total: 1 << 20 },
    ],
  });
  const s = draw([{ kind: 'image', action: 'pulling', time: T, image: 'busybox:1.36', services: ['web'] }, ev(T, 0), ev(T + 1000, 1 << 20)]);
  assert.match(rowOf(s, 'web-1'), /pulling 1\.0M\/4\.0M 1\.0M\/s 3s/);
  assert.match(s, /Pulling busybox:1\.36 {2}1\.0M\/4\.0M {2}1\.0M\/s {2}ETA 3s/);
  assert.match(s, /aaaaaaaaaaaa \[#+-+\] 1\.0M\/3\.0M/);
  assert.match(s, /bbbbbbbbbbbb \[-+\] 0B\/1\.0M/);
});

test('building step n/m', () => {
  const s = draw([{ kind: 'image', action: 'building', time: T, image: 'demo-app', services: ['app'], step: 3, steps: 7, detail: '[3/7] RUN make' }]);
  assert.match(rowOf(s, 'app-1'), /building step 3\/7/);
});

test('creating, starting, running with uptime, CPU, memory and ports', () => {
  assert.match(rowOf(draw([c('creating', 'demo-web-1')]), 'web-1'), /creating/);
  assert.match(rowOf(draw([c('starting', 'demo-web-1')]), 'web-1'), /starting/);
  const s = draw([
    c('started', 'demo-web-1'),
    {
      kind: 'status',
      time: T + 1,
      project: 'demo',
      containers: [
        {
          name: 'demo-web-1',
          service: 'web',
          number: 1,
          state: 'running',
          startedAt: T,
          restarts: 2,
          ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
          cpuPercent: 12.345,
          memoryBytes: 5 << 20,
        },
      ],
    },
  ]);
  const row = rowOf(s, 'web-1');
  assert.match(row, /running/);
  assert.match(row, /8080->80/);
  assert.match(row, /1m05s/);
  assert.match(row, /12\.3%/);
  assert.match(row, /5\.0M/);
  assert.match(row, / 2$/, 'restart count in the last column');
});

test("waiting for a dependency: the waiting service's row names it and the condition", () => {
  const s = draw([c('created', 'demo-web-1'), c('started', 'demo-db-1'), c('waiting', 'demo-db-1', { detail: 'healthy', waiters: ['web'] })]);
  assert.match(rowOf(s, 'web-1'), /waiting for db \(healthy\)/);
  assert.match(rowOf(s, 'db-1'), /running/);
});

test('healthy, and unhealthy with the last probe output', () => {
  assert.match(rowOf(draw([c('started', 'demo-db-1'), c('healthy', 'demo-db-1')]), 'db-1'), /healthy/);
  const s = draw([c('started', 'demo-db-1'), c('unhealthy', 'demo-db-1', { detail: 'pg_isready: no response\n' })]);
  assert.match(rowOf(s, 'db-1'), /unhealthy: pg_isready: no response/);
});

test('restarting with the attempt and the time to the next start', () => {
  const s = draw([c('restarting', 'demo-web-1', { attempt: 3, restartAt: T + 4000 })], { now: T });
  assert.match(rowOf(s, 'web-1'), /restarting \(attempt 3, next in 4s\)/);
});

test('exited with its code, OOM-killed', () => {
  assert.match(rowOf(draw([c('exited', 'demo-job-1', { exitCode: 3 })]), 'job-1'), /exited \(3\)/);
  assert.match(rowOf(draw([c('exited', 'demo-job-1', { exitCode: 137, oomKilled: true })]), 'job-1'), /OOM-killed \(137\)/);
  const snap: EngineEvent = {
    kind: 'status',
    time: T,
    project: 'demo',
    containers: [{ name: 'demo-job-1', service: 'job', number: 1, state: 'exited', exitCode: 137, oomKilled: true, restarts: 0, ports: [] }],
  };
  assert.match(rowOf(draw([snap]), 'job-1'), /OOM-killed/);
});

test('a snapshot older than the last event does not override its state', () => {
  const old: EngineEvent = { kind: 'status', time: T - 10, project: 'demo', containers: [{ name: 'demo-web-1', service: 'web', number: 1, state: 'running', restarts: 0, ports: [] }] };
  assert.match(rowOf(draw([c('stopping', 'demo-web-1'), old]), 'web-1'), /stopping/);
});

test('the log pane: merged lines, a service filter, search filters and highlights', () => {
  const lines: [string, string][] = [
    ['web', 'GET /index'],
    ['db', 'checkpoint starting'],
    ['web', 'GET /health'],
  ];
  const all = draw([c('started', 'demo-web-1'), c('started', 'demo-db-1')], { lines });
  assert.match(all, /web-1 \| GET \/index\n db-1 {2}\| checkpoint starting|web-1 \| GET \/index\ndb-1 {2}\| checkpoint starting/);
  const web = draw([c('started', 'demo-web-1'), c('started', 'demo-db-1')], { lines, view: { logService: 'web' } });
  assert.not.match(web, /checkpoint/);
  assert.match(web, /Logs: web/);
  const found = draw([c('started', 'demo-web-1')], { lines, view: { search: 'health' }, color: true });
  assert.match(found, /\x1b\[7mhealth\x1b\[27m/, 'the match is drawn inverse');
  assert.not.match(strip(found), /GET \/index/);
});

test('long lines and escape sequences never break the layout; the screen stays 24 rows at 80 columns', () => {
  const lines: [string, string][] = [
    ['web', `\x1b[31mred\x1b[0m \x1b[2J\x1b[H${'x'.repeat(500)}`],
    ['web', 'tab\there\rcarriage'],
  ];
  const s = draw([c('started', 'demo-web-1'), c('started', 'demo-db-1')], { width: 80, height: 24, lines });
  const rows = s.split('\n');
  assert.is(rows.length, 24);
  for (const r of rows) assert.ok(graphemes(r).length <= 80, `row too wide: ${r.length}`);
  assert.match(s, /web-1 \| red x+/);
  assert.not.match(s, /\x1b/);
  const wrapped = draw([c('started', 'demo-web-1')], { width: 80, height: 24, lines, view: { wrap: true } });
  assert.ok(wrapped.split('\n').filter((r) => /^ +x+/.test(r)).length >= 5, 'wrapped continuation rows');
  assert.is(wrapped.split('\n').length, 24);
});

test('NO_COLOR: no colour codes at all (with colour: the state and the prefix are coloured)', () => {
  const events = [c('started', 'demo-web-1'), c('exited', 'demo-job-1', { exitCode: 1 })];
  const model = new DashboardModel();
  for (const e of events) model.apply(e);
  const logs = new LogStore();
  logs.add({ service: 'web', container: 'demo-web-1', number: 1, stream: 'stdout', time: T, text: 'hi' });
  const screen = (color: boolean): string =>
    renderToString(<Dashboard project="demo" rows={model.rows()} logs={logs.tail({}, 10)} view={initialView} width={100} height={24} now={T} color={color} />, { columns: 100 });
  assert.match(screen(true), /\x1b\[3\dm/);
  assert.not.match(screen(false), /\x1b\[(3\d|9\d)m/);
});

test('the footer names the keys; ? shows the help', () => {
  assert.match(draw([c('started', 'demo-web-1')], { width: 120 }), /r restart {2}s stop\/start {2}d detach {2}q quit {2}R recreate {2}e shell {2}w watch {2}\? help/);
  assert.match(draw([c('started', 'demo-web-1')], { width: 80 }), /d detach q quit .*\? help/, 'at 80 columns: detach and quit still shown');
  const help = draw([], { view: { help: true } });
  for (const k of ['r ', 's ', 'R ', 'e ', 'w ', 'd ', 'q / Ctrl-C', '/ ', 'n / N', 'W ']) assert.ok(help.includes(`  ${k}`), k);
});

test('data frames back off when a frame took long (a contended CPU): ten times its time, at most a second', () => {
  // a cheap frame leaves the timer's pace (5 a second) alone; a slow one spaces the next out
  assert.ok(dataFrameGap(5) <= 200);
  assert.is(dataFrameGap(40), 400);
  assert.is(dataFrameGap(500), 1000);
});

test.run();
