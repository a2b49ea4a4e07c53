import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Labels, belongsTo } from '../../src/api/index.js';

test('label keys are unique and carry the berth. prefix', () => {
  const values = Object.values(Labels);
  assert.is(new Set(values).size, values.length);
  for (const v of values) assert.match(v, /^berth\.[a-z-]+$/);
});

test('belongsTo matches on the project label only', () => {
  assert.ok(belongsTo({ [Labels.project]: 'p' }, 'p'));
  assert.not.ok(belongsTo({ [Labels.project]: 'q' }, 'p'));
  assert.not.ok(belongsTo(undefined, 'p'));
});

test.run();
