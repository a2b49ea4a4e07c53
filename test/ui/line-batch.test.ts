import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineBatch } from '../../src/ui/index.js';
import { recorder } from './capture.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('LineBatch: the lines of one turn of the event loop leave in one write, in order; a lone line leaves at the end of its turn', async () => {
  const writes: { to: string; text: string }[] = [];
  const batch = new LineBatch(recorder(writes, 'out'));
  for (let i = 0; i < 500; i++) batch.add(`web-1  | ${i}`);
  assert.is(writes.length, 0, 'nothing written during the turn');
  await turn();
  assert.is(writes.length, 1, 'one write for the turn');
  assert.is(writes[0]!.text, Array.from({ length: 500 }, (_, i) => `web-1  | ${i}\n`).join(''));
  batch.add('alone');
  await turn();
  assert.equal(
    writes.map((w) => w.text),
    [writes[0]!.text, 'alone\n'],
  );
});

test('LineBatch: a batch is bounded (written early past 64 KB); flush writes what is queued at once', () => {
  const writes: { to: string; text: string }[] = [];
  const batch = new LineBatch(recorder(writes, 'out'));
  const long = 'x'.repeat(1023);
  for (let i = 0; i < 200; i++) batch.add(long);
  assert.ok(writes.length >= 3 && writes.every((w) => w.text.length <= 64 * 1024), `${writes.length} writes`);
  batch.flush();
  assert.is(writes.map((w) => w.text).join(''), `${long}\n`.repeat(200), 'every line once, in order');
  batch.flush();
  assert.is(writes.map((w) => w.text).join('').length, 1024 * 200, 'nothing twice');
});

test.run();
