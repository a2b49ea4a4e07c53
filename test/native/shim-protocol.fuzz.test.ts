// Shim protocol parser (issue 12 fuzzing): any line on the sync or error fd gives a typed
// message or undefined, never a throw; a `created` pid is a positive integer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import { parseShimFailure, parseShimMessage, shimError } from '../../src/native/shim-protocol.js';
import { fuzzParams } from '../helpers/fuzz.js';

const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json(),
  fc
    .record(
      {
        type: fc.constantFrom('created', 'exit', 'error', 'other'),
        pid: fc.jsonValue(),
        exitCode: fc.jsonValue(),
        signal: fc.jsonValue(),
        oomKilled: fc.jsonValue(),
        finishedAt: fc.jsonValue(),
        syscall: fc.jsonValue(),
        errno: fc.jsonValue(),
        path: fc.jsonValue(),
        message: fc.jsonValue(),
      },
      { requiredKeys: ['type'] },
    )
    .map((o) => JSON.stringify(o)),
);

test('found by fuzzing: a created pid of 0, -1 or 1.5 is not a message', () => {
  for (const pid of [0, -1, 1.5, 1e300]) assert.is(parseShimMessage(JSON.stringify({ type: 'created', pid })), undefined);
  assert.equal(parseShimMessage('{"type":"created","pid":42}'), { type: 'created', pid: 42 });
});

test('any line: a typed message or undefined', () => {
  fc.assert(
    fc.property(line, (l) => {
      const m = parseShimMessage(l);
      if (m?.type === 'created') assert.ok(Number.isSafeInteger(m.pid) && m.pid > 0, `pid ${m.pid}`);
      if (m?.type === 'exit') assert.ok(Number.isSafeInteger(m.exitCode) && Number.isSafeInteger(m.signal));
      const f = parseShimFailure(l);
      if (f) shimError('c1', f);
    }),
    fuzzParams(),
  );
});

test.run();
