import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPlainRenderer, createJsonRenderer, chooseRenderer, LogFormatter } from '../../src/ui/index.js';
import type { EngineEvent, LogLine } from '../../src/api/index.js';
import { capture } from './capture.js';

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
