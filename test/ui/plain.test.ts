import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPlainRenderer, createJsonRenderer, chooseRenderer, LogFormatter } from '../../src/ui/index.js';
import type { EngineEvent, LogLine } from '../../src/api/index.js';
import { capture, recorder } from './capture.js';

const ev = (e: Partial<EngineEvent> & { kind: EngineEvent['kind'] }): EngineEvent => ({ time: 1000, ...e }) as EngineEvent;
const line = (service: string, number: number, text: string): LogLine => ({ service, container: `p-${service}-${number}`, number, stream: 'stdout', time: 0, text });

test('plain: one line per state change on stderr, logs on stdout', async () => {
  const out = capture();
  const err = capture();
  const r = createPlainRenderer({ stdout: out.stream, stderr: err.stream });
  r.event(ev({ kind: 'network', action: 'created', project: 'p', network: 'p_default' }));
  r.event(ev({ kind: 'container', action: 'created', project: 'p', service: 'web', container: 'p-web-1' }));
  r.event(ev({ kind: 'container', action: 'exited', project: 'p', service: 'job', container: 'p-job-1', exitCode: 3 }));
  r.event(ev({ kind: 'warning', message: 'found orphan container x' }));
  r.log(line('web', 1, 'hello'));
  r.log(line('db', 1, 'ready'));
  await r.close();
  assert.is(err.text(), [' Network p_default  Created', ' Container p-web-1  Created', ' Container p-job-1  Exited (code 3)', 'WARN[0000] found orphan container x', ''].join('\n'));
  assert.is(out.text(), 'web-1  | hello\ndb-1   | ready\n');
});

test('plain: a failed up marks the row it cut short as Error; the reason is not printed (the CLI prints it, once)', async () => {
  const err = capture();
  const r = createPlainRenderer({ stdout: capture().stream, stderr: err.stream });
  r.event(ev({ kind: 'container', action: 'started', project: 'p', service: 'db', container: 'p-db-1' }));
  r.event(ev({ kind: 'container', action: 'starting', project: 'p', service: 'web', container: 'p-web-1' }));
  r.event(ev({ kind: 'error', message: 'container p-web-1-0a1b: cannot start "/x": permission denied' }));
  await r.close();
  assert.is(err.text(), [' Container p-db-1  Started', ' Container p-web-1  Starting', ' Container p-web-1  Error', ''].join('\n'));
});

test('plain: a failure before any container (nothing working) prints nothing: the CLI line is the one place', async () => {
  const err = capture();
  const r = createPlainRenderer({ stdout: capture().stream, stderr: err.stream });
  r.event(ev({ kind: 'network', action: 'created', project: 'p', network: 'p_default' }));
  r.event(ev({ kind: 'error', message: 'service web: user "nosuchuser" not found in the image\'s /etc/passwd' }));
  await r.close();
  assert.is(err.text(), ' Network p_default  Created\n');
});

test("plain: an error of one container (the supervisor's failed restart, no CLI line follows) keeps its reason on the row", async () => {
  const err = capture();
  const r = createPlainRenderer({ stdout: capture().stream, stderr: err.stream });
  r.event(ev({ kind: 'error', message: 'container p-web-1: restart failed: x', service: 'web', container: 'p-web-1' }));
  await r.close();
  assert.is(err.text(), ' Container p-web-1  Error (container p-web-1: restart failed: x)\n');
});

test('plain renderer: log lines are batched; an event (stderr) writes the lines before it first; close writes the rest', async () => {
  const writes: { to: string; text: string }[] = [];
  const r = createPlainRenderer({ stdout: recorder(writes, 'stdout'), stderr: recorder(writes, 'stderr') });
  r.log(line('web', 1, 'one'));
  r.log(line('web', 1, 'two'));
  r.event({ kind: 'container', action: 'exited', project: 'p', service: 'web', container: 'p-web-1', exitCode: 0, time: 0 } as EngineEvent);
  r.log(line('web', 1, 'three'));
  await r.close();
  assert.equal(writes, [
    { to: 'stdout', text: 'web-1  | one\nweb-1  | two\n' },
    { to: 'stderr', text: ' Container p-web-1  Exited (code 0)\n' },
    { to: 'stdout', text: 'web-1  | three\n' },
  ]);
});

test('log prefixes: padded to known width, coloured per service, --no-log-prefix, timestamps', () => {
  const f = new LogFormatter({ color: false }, ['frontend-1', 'db-1']);
  assert.is(f.format(line('db', 1, 'x')), 'db-1        | x');
  const c = new LogFormatter({ color: true });
  const a = c.format(line('a', 1, 'x'));
  const b = c.format(line('b', 1, 'x'));
  assert.match(a, /^\x1b\[36ma-1  \| \x1b\[0mx$/);
  assert.match(b, /^\x1b\[33m/);
  assert.is(c.format(line('a', 2, 'y')).slice(0, 5), '\x1b[36m', 'same service, same colour');
  assert.is(new LogFormatter({ color: false, prefix: false }).format(line('a', 1, 'x')), 'x');
  assert.is(new LogFormatter({ color: false, timestamps: true }).format(line('a', 1, 'x')), 'a-1  | 1970-01-01T00:00:00.000Z x');
});

test('json: one object per line', async () => {
  const out = capture();
  const r = createJsonRenderer({ stdout: out.stream, stderr: capture().stream });
  r.event(ev({ kind: 'container', action: 'started', project: 'p', service: 'web', container: 'p-web-1' }));
  r.log(line('web', 1, 'hi'));
  await r.close();
  const rows = out
    .text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(rows[0], { type: 'event', kind: 'container', action: 'started', project: 'p', service: 'web', container: 'p-web-1', time: 1000 });
  assert.is(rows[1].type, 'log');
  assert.is(rows[1].text, 'hi');
});

test('auto falls back to plain when not a TTY', async () => {
  const out = capture();
  const err = capture();
  const r = await chooseRenderer('auto', { stdout: out.stream, stderr: err.stream });
  r.event(ev({ kind: 'container', action: 'started', project: 'p', service: 'web', container: 'p-web-1' }));
  await r.close();
  assert.is(err.text(), ' Container p-web-1  Started\n');
});

test.run();
