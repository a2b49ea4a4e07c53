import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createInkRenderer } from '../../src/ui/ink.js';
import type { EngineEvent } from '../../src/api/index.js';
import { capture } from './capture.js';

const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');

test('ink renders progress rows and log lines into the injected stream', async () => {
  const out = capture(true);
  const err = capture(true);
  const r = createInkRenderer({ stdout: out.stream, stderr: err.stream }, { interactive: false, color: false });
  const e = (action: 'creating' | 'started', c: string): EngineEvent => ({ kind: 'container', action, time: Date.now(), project: 'p', service: 'web', container: c });
  r.event({ kind: 'network', action: 'created', time: Date.now(), project: 'p', network: 'p_default' });
  r.event(e('creating', 'p-web-1'));
  r.event(e('started', 'p-web-1'));
  r.log({ service: 'web', container: 'p-web-1', number: 1, stream: 'stdout', time: 0, text: 'listening' });
  await r.close();
  const text = strip(out.text());
  assert.match(text, /✔ Network p_default\s+Created/);
  assert.match(text, /✔ Container p-web-1\s+Started/);
  assert.match(text, /web-1  \| listening/);
  assert.not.match(text, /Creating/, 'the final frame shows the last state');
});

test('ink: a failed up leaves the cut-short row as an Error, not a frozen spinner, and no reason in the block', async () => {
  const out = capture(true);
  const r = createInkRenderer({ stdout: out.stream, stderr: capture(true).stream }, { interactive: false, color: false });
  r.event({ kind: 'container', action: 'starting', time: Date.now(), project: 'p', service: 'web', container: 'p-web-1' });
  r.event({ kind: 'error', time: Date.now(), message: 'container p-web-1-0a1b: cannot start "/x": permission denied' });
  await r.close();
  const text = strip(out.text());
  const last = text.slice(text.lastIndexOf('Container p-web-1'));
  assert.match(last, /^Container p-web-1\s+Error/);
  assert.not.match(text, /permission denied/);
});

test.run();
