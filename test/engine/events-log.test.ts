// `berth events --since`: history and live events over one byte offset. The test appends
// between the history read and the first follow read through the Tick seam: no timing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsFile, followEvents, type Tick } from '../../src/engine/events-log.js';
import type { EngineEvent } from '../../src/api/index.js';

const ev = (n: string, time: number, service = 'web'): EngineEvent => ({ kind: 'container', action: 'started', project: 'p', service, container: `p-${service}-${n}`, time });
const line = (e: EngineEvent): string => `${JSON.stringify(e)}\n`;

function setup(): { dir: string; append: (text: string) => void; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-events-'));
  return { dir, append: (t) => appendFileSync(eventsFile(dir), t), done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Tick that runs each step once, in order, then aborts the follow. */
function steps(stop: AbortController, ...actions: (() => void)[]): Tick {
  let i = 0;
  return async () => {
    const a = actions[i++];
    if (a) a();
    else stop.abort();
  };
}

test('--since: an event appended right after the history read is shown once, in order', async () => {
  const s = setup();
  try {
    s.append(line(ev('1', 1000)) + line(ev('2', 2000)));
    const got: string[] = [];
    const stop = new AbortController();
    await followEvents(
      s.dir,
      { since: 1500, onEvent: (e) => got.push((e as { container: string }).container), signal: stop.signal },
      steps(stop, () => s.append(line(ev('3', 3000)))),
    );
    assert.equal(got, ['p-web-2', 'p-web-3']);
  } finally {
    s.done();
  }
});

test('a line half written at the history read is delivered once it is whole', async () => {
  const s = setup();
  try {
    const third = line(ev('3', 3000));
    s.append(line(ev('1', 1000)) + third.slice(0, 10));
    const got: string[] = [];
    const stop = new AbortController();
    await followEvents(
      s.dir,
      { since: 0, onEvent: (e) => got.push((e as { container: string }).container), signal: stop.signal },
      steps(
        stop,
        () => s.append(third.slice(10)),
        () => s.append(line(ev('4', 4000))),
      ),
    );
    assert.equal(got, ['p-web-1', 'p-web-3', 'p-web-4']);
  } finally {
    s.done();
  }
});

test('without --since only live events; --until and a service filter; follow: false reads the history only', async () => {
  const s = setup();
  try {
    s.append(line(ev('1', 1000)));
    const live: string[] = [];
    const stop = new AbortController();
    await followEvents(
      s.dir,
      { until: 5000, accept: (e) => 'service' in e && e.service === 'web', onEvent: (e) => live.push((e as { container: string }).container), signal: stop.signal },
      steps(stop, () => s.append(line(ev('2', 2000)) + line(ev('1', 2500, 'db')) + line(ev('9', 9000)))),
    );
    assert.equal(live, ['p-web-2']);
    const past: string[] = [];
    await followEvents(s.dir, { follow: false, until: 2000, onEvent: (e) => past.push((e as { container: string }).container) }, async () => assert.unreachable('no tick without follow'));
    assert.equal(past, ['p-web-1', 'p-web-2']);
  } finally {
    s.done();
  }
});

test.run();
