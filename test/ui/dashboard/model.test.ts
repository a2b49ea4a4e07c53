import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LogStore } from '../../../src/ui/dashboard/log-store.js';
import { initialView, onKey, splitKeys } from '../../../src/ui/dashboard/keys.js';
import { sanitize } from '../../../src/ui/dashboard/format.js';

const line = (service: string, text: string) => ({ service, container: `p-${service}-1`, number: 1, stream: 'stdout' as const, time: 0, text });

test('LogStore keeps at most its bound per service, newest kept, a busy service never evicts a quiet one', () => {
  const s = new LogStore(100);
  s.add(line('quiet', 'only line'));
  for (let i = 0; i < 5000; i++) s.add(line('busy', `n${i}`));
  assert.ok(s.size <= 100 + 512 + 1, `size ${s.size}`);
  assert.equal(
    s.tail({}, 2).map((l) => l.text),
    ['n4998', 'n4999'],
  );
  assert.equal(
    s.tail({ service: 'quiet' }, 10).map((l) => l.text),
    ['only line'],
  );
  assert.ok(s.dropped > 0);
});

test('LogStore.tail merges services in arrival order and skips for scroll-back; search is case-insensitive', () => {
  const s = new LogStore();
  s.add(line('a', 'one'));
  s.add(line('b', 'Two'));
  s.add(line('a', 'three'));
  s.add(line('b', 'four'));
  assert.equal(
    s.tail({}, 3).map((l) => l.text),
    ['Two', 'three', 'four'],
  );
  assert.equal(
    s.tail({}, 2, 1).map((l) => l.text),
    ['Two', 'three'],
  );
  assert.equal(
    s.tail({ search: 'T' }, 10).map((l) => l.text),
    ['Two', 'three'],
  );
  assert.is(s.count({ search: 'o' }), 3);
});

test('sanitize removes escape sequences and control characters', () => {
  assert.is(sanitize('\x1b[1;31mred\x1b[0m\x1b]0;title\x07 \x1b[2J\rx\ty'), 'red x    y');
});

test('keys: select, logs of one/all, search typed and applied, scroll, actions', () => {
  const ctx = { rowServices: ['db', 'web'], page: 10 };
  let v = onKey(initialView, { input: '', downArrow: true }, ctx).view;
  assert.is(v.selected, 1);
  v = onKey(v, { input: '', return: true }, ctx).view;
  assert.is(v.logService, 'web');
  v = onKey(v, { input: 'a' }, ctx).view;
  assert.is(v.logService, undefined);
  for (const p of splitKeys('/err\r', {})) v = onKey(v, p, ctx).view;
  assert.is(v.search, 'err');
  assert.is(v.typing, undefined);
  v = onKey(v, { input: '', pageUp: true }, ctx).view;
  assert.is(v.scroll, 10);
  v = onKey(v, { input: 'f' }, ctx).view;
  assert.is(v.scroll, 0);
  assert.is(onKey(v, { input: 'r' }, ctx).action, 'restart');
  assert.is(onKey(v, { input: 'd' }, ctx).action, 'detach');
  assert.is(onKey(v, { input: 'q' }, ctx).action, 'quit');
  assert.is(onKey(v, { input: 'c', ctrl: true }, ctx).action, 'quit');
  assert.is(onKey(v, { input: '', escape: true }, ctx).view.search, undefined);
  // alt-r (escape then r in one chunk) is escape, then r
  assert.equal(splitKeys('r', { meta: true }), [{ input: '', escape: true }, { input: 'r' }]);
});

test.run();
