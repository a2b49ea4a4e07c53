import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternMatcher, EPHEMERAL_PATTERNS } from '../../src/watch/matcher.js';
import { dockerIgnoreOf } from '../../src/watch/rules.js';
import type { Service } from '../../src/spec/index.js';

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
  assert.not.ok(m.matches('/src/tmp/x'), 'compose keeps an absolute pattern absolute: /tmp is not <base>/tmp');
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

test('compose watch: `.` is the base itself, a bare `*` keeps only the exceptions, absolute patterns', () => {
  assert.ok(patternMatcher('/p', ['.']).matches('/p/any/file'), '`.` joined onto the base ignores everything under it');
  assert.not.ok(patternMatcher('/p', ['.', '!.']).matches('/p/x'));
  assert.not.ok(patternMatcher('/p', ['*', '!src']).matches('/p/other'), 'compose drops non-exception patterns when `*` is present');
  assert.ok(patternMatcher('/p', ['/p/tmp']).matches('/p/tmp/x'), 'an absolute pattern under the base');
  assert.not.ok(patternMatcher('/p', ['#x']).matches('/p/y'));
  assert.ok(patternMatcher('/p', ['#x']).matches('/p/#x'), 'list patterns are not comments (only ignore files have comments)');
});

test('the service build context: Dockerfile.dockerignore first (also for the default Dockerfile)', () => {
  const ctx = mkdtempSync(join(tmpdir(), 'berth-watch-ignore-'));
  try {
    writeFileSync(join(ctx, '.dockerignore'), 'general\n');
    writeFileSync(join(ctx, 'Dockerfile.dockerignore'), 'specific\n');
    const svc = (build: Record<string, unknown>) => ({ build: { context: ctx, ...build } }) as unknown as Service;
    assert.ok(dockerIgnoreOf(svc({})).matches(join(ctx, 'specific', 'x')));
    assert.not.ok(dockerIgnoreOf(svc({})).matches(join(ctx, 'general')));
    assert.ok(dockerIgnoreOf(svc({ dockerfile: 'Other' })).matches(join(ctx, 'general')));
    assert.ok(dockerIgnoreOf(svc({ dockerfile_inline: 'FROM x' })).matches(join(ctx, 'general')), 'inline: .dockerignore');
    writeFileSync(join(ctx, 'Dockerfile.dockerignore'), '.\n');
    assert.ok(dockerIgnoreOf(svc({})).matches(join(ctx, 'a')), 'compose watch: `.` ignores the whole context');
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
});

test('editor temp files are ephemeral', () => {
  const m = patternMatcher('/', EPHEMERAL_PATTERNS);
  for (const p of ['/w/.main.ts.swp', '/w/4913', '/w/x.ts~', '/w/.#x.ts', '/w/.idea/ws.xml', '/w/a.ts___jb_tmp___']) assert.ok(m.matches(p), p);
  assert.not.ok(m.matches('/w/main.ts'));
});

test.run();
