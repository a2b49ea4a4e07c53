import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { patternMatcher, EPHEMERAL_PATTERNS } from '../../src/watch/matcher.js';

test('dockerignore patterns relative to the base, parents match, last match wins', () => {
  const m = patternMatcher('/src', ['node_modules', '*.log', '!keep.log', 'build/**', 'docs/*.md', '/tmp']);
  assert.ok(m.matches('/src/node_modules'));
  assert.ok(m.matches('/src/node_modules/x/y.js'), 'a matching parent matches its children');
  assert.ok(m.matches('/src/a.log'));
  assert.not.ok(m.matches('/src/keep.log'), '! re-includes');
  assert.not.ok(m.matches('/src/sub/a.log'), '* stays in one segment');
  assert.ok(m.matches('/src/build/a/b'));
  assert.ok(m.matches('/src/docs/x.md'));
  assert.not.ok(m.matches('/src/docs/sub/x.md'));
  assert.ok(m.matches('/src/tmp/x'));
  assert.not.ok(m.matches('/src'), 'the base itself never matches');
  assert.not.ok(m.matches('/other/node_modules'), 'outside the base never matches');
});

test('** crosses segments; ? and classes', () => {
  const m = patternMatcher('/p', ['**/*.tmp', 'a?c', '[xy].txt']);
  assert.ok(m.matches('/p/deep/er/f.tmp'));
  assert.ok(m.matches('/p/f.tmp'));
  assert.ok(m.matches('/p/abc'));
  assert.not.ok(m.matches('/p/a/c'));
  assert.ok(m.matches('/p/x.txt'));
  assert.not.ok(m.matches('/p/z.txt'));
});

test('editor temp files are ephemeral', () => {
  const m = patternMatcher('/', EPHEMERAL_PATTERNS);
  for (const p of ['/w/.main.ts.swp', '/w/4913', '/w/x.ts~', '/w/.#x.ts', '/w/.idea/ws.xml', '/w/a.ts___jb_tmp___']) assert.ok(m.matches(p), p);
  assert.not.ok(m.matches('/w/main.ts'));
});

test.run();
