// `ls --filter name=…` as docker filters names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nameFilter } from '../../src/engine/query.js';

test('ls name filters: the exact name or a regular expression found in it; a bad expression matches nothing', () => {
  const f = nameFilter(['shop', '^b[a-z]+$', '(']);
  assert.equal(['shop', 'shopping', 'bar', 'b1', 'x'].filter(f), ['shop', 'shopping', 'bar']);
  assert.ok(nameFilter(undefined)('anything'));
});

test.run();
