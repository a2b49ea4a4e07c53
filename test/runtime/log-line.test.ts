import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLogLine } from '../../src/runtime/log-line.js';

/** A line as the shim writes it (native/shim/log.c emit: its escapes, its key order). */
function shimLine(text: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  let esc = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') esc += `\\${ch}`;
    else if (ch === '\n') esc += '\\n';
    else if (ch === '\r') esc += '\\r';
    else if (ch === '\t') esc += '\\t';
    else if (c < 0x20 || c === 0x7f) esc += `\\u${c.toString(16).padStart(4, '0')}`;
    else esc += ch;
  }
  return `{"time":"2026-12-06T22:40:36.123456789Z","stream":"${stream}","log":"${esc}"}`;
}

test("parseLogLine: the shim's lines read as JSON reads them, whatever the text holds", () => {
  const texts = [
    'plain\n',
    'no newline',
    '',
    '\n',
    'a "quoted" word\n',
    'back\\slash\n',
    'ends in a backslash\\',
    'a literal \\n\n',
    'tab\there\n',
    'cr\r\n',
    'bell\x07\n',
    'del\x7f\n',
    'é ünïcödé ✓\n',
    '\\\n',
    'n\n',
    '"\n',
    'two\nlines\n',
  ];
  for (const text of texts)
    for (const stream of ['stdout', 'stderr'] as const) {
      const line = shimLine(text, stream);
      const json = JSON.parse(line) as { time: string; stream: string; log: string };
      assert.equal(parseLogLine(line), { time: json.time, stream, text: json.log }, JSON.stringify(line));
    }
});

test('parseLogLine: other JSON layouts still read; what is not a log line is undefined', () => {
  assert.equal(parseLogLine('{"log":"x\\n","stream":"stderr","time":"t"}'), { time: 't', stream: 'stderr', text: 'x\n' });
  assert.equal(parseLogLine('{"time":"t","stream":"stdout","log":"x\\n","extra":1}'), { time: 't', stream: 'stdout', text: 'x\n' });
  assert.is(parseLogLine('{"time":"t","stream":"stdout","log":"cut sh'), undefined);
  assert.is(parseLogLine('not json'), undefined);
  assert.is(parseLogLine('{"time":1,"stream":"stdout","log":"x"}'), undefined);
});

test.run();
