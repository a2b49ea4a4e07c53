// The shared .dockerignore reader/matcher, checked against moby/patternmatcher's own cases
// (patternmatcher_test.go, ignorefile_test.go) and BuildKit's choice of ignore file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { cleanPath, compileIgnore, ignoreFileCandidates, loadDockerignore, loadDockerignoreSync, parseDockerignore, readIgnoreLines } from '../../src/util/dockerignore.js';

// [pattern, path, matches (the path or one of its parents)]: patternmatcher TestMatches
const single: ReadonlyArray<readonly [string, string, boolean]> = [
  ['**', 'file', true],
  ['**', 'file/', true],
  ['**/', 'file', true],
  ['**/', 'file/', true],
  ['**', '/', true],
  ['**/', '/', true],
  ['**', 'dir/file', true],
  ['**/', 'dir/file', true],
  ['**', 'dir/file/', true],
  ['**/', 'dir/file/', true],
  ['**/**', 'dir/file', true],
  ['**/**', 'dir/file/', true],
  ['dir/**', 'dir/file', true],
  ['dir/**', 'dir/file/', true],
  ['dir/**', 'dir/dir2/file', true],
  ['dir/**', 'dir/dir2/file/', true],
  ['**/dir', 'dir', true],
  ['**/dir', 'dir/file', true],
  ['**/dir2/*', 'dir/dir2/file', true],
  ['**/dir2/*', 'dir/dir2/file/', true],
  ['**/dir2/**', 'dir/dir2/dir3/file', true],
  ['**/dir2/**', 'dir/dir2/dir3/file/', true],
  ['**file', 'file', true],
  ['**file', 'dir/file', true],
  ['**/file', 'dir/file', true],
  ['**file', 'dir/dir/file', true],
  ['**/file', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file.txt', true],
  ['**/file*txt', 'dir/dir/file.txt', true],
  ['**/file*.txt', 'dir/dir/file.txt', true],
  ['**/file*.txt*', 'dir/dir/file.txt', true],
  ['**/**/*.txt', 'dir/dir/file.txt', true],
  ['**/**/*.txt2', 'dir/dir/file.txt', false],
  ['**/*.txt', 'file.txt', true],
  ['**/**/*.txt', 'file.txt', true],
  ['a**/*.txt', 'a/file.txt', true],
  ['a**/*.txt', 'a/dir/file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true],
  ['a/*.txt', 'a/dir/file.txt', false],
  ['a/*.txt', 'a/file.txt', true],
  ['a/*.txt**', 'a/file.txt', true],
  ['a[b-d]e', 'ae', false],
  ['a[b-d]e', 'ace', true],
  ['a[b-d]e', 'aae', false],
  ['a[^b-d]e', 'aze', true],
  ['.*', '.foo', true],
  ['.*', 'foo', false],
  ['abc.def', 'abcdef', false],
  ['abc.def', 'abc.def', true],
  ['abc.def', 'abcZdef', false],
  ['abc?def', 'abcZdef', true],
  ['abc?def', 'abcdef', false],
  ['**/foo/bar', 'foo/bar', true],
  ['**/foo/bar', 'dir/foo/bar', true],
  ['**/foo/bar', 'dir/dir2/foo/bar', true],
  ['abc/**', 'abc', false],
  ['abc/**', 'abc/def', true],
  ['abc/**', 'abc/def/ghi', true],
  ['**/.foo', '.foo', true],
  ['**/.foo', 'bar.foo', false],
  ['a(b)c/def', 'a(b)c/def', true],
  ['a(b)c/def', 'a(b)c/xyz', false],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['a\\\\', 'a\\', true],
  ['a\\*b', 'a*b', true],
  // Go filepath.Match cases (patternmatcher TestMatch)
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', true],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', '-', true],
  ['*x', 'xxx', true],
  // literal patterns compare exactly: `.` names no path in the context; `**` before a name is a suffix
  ['.', 'a', false],
  ['.', 'a/b', false],
  ['./a', 'a/b', true],
  ['a/', 'a/b', true],
  ['a//b', 'a/b', true],
  ['a/../b', 'b/c', true],
  ['[!a]', '!', true],
  ['[!a]', 'b', false],
  ['**foo', 'barfoo', true],
  ['a**b', 'a/x/b', true],
  ['a**b', 'axb', false],
  ['node_modules', 'sub/node_modules', false],
];

test('single patterns (patternmatcher TestMatches, TestMatch)', () => {
  for (const [pattern, path, want] of single) assert.is(compileIgnore([pattern]).matches(path), want, `${pattern} ~ ${path}`);
});

// [patterns, path, matches]: last match wins, exceptions, parents
const multi: ReadonlyArray<readonly [readonly string[], string, boolean]> = [
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [['**', '!dist/*.whl'], 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', false],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/', '!docs/README.md'], 'docs/README.md', false],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  [['docs', '!docs/README.md'], 'docs/other.md', true],
  [['*', '!src'], 'src/a/b.ts', false],
  [['*', '!src', 'src/*.log'], 'src/x.log', true],
  [[], 'any/path/there', false],
  [['docs', '', '  '], 'docs/x', true],
];

test('pattern lists: last match wins, exceptions re-include, a matching parent covers its contents', () => {
  for (const [patterns, path, want] of multi) assert.is(compileIgnore(patterns).matches(path), want, `${patterns.join(',')} ~ ${path}`);
});

test('bad patterns are errors with a code (patternmatcher New / filepath.Match)', () => {
  for (const bad of ['!', '[', '[^', '[^bc', 'a[', '[]a]', '[-]', '[x-]', '[-x]', '\\', '[a-b-c]']) {
    assert.throws(
      () => compileIgnore([bad]),
      (e: unknown) => e instanceof BerthError && e.code === 'dockerignore/bad-pattern',
      bad,
    );
  }
  assert.ok(compileIgnore(['  !docs/README.md  ']).exclusions, 'spaces around an exception are trimmed');
});

test('reading an ignore file (ignorefile.ReadAll)', () => {
  const text = '\uFEFFtest1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n  #not-a-comment\r\n./x/../y/\n';
  assert.equal(readIgnoreLines(text), ['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '!', '!', '#not-a-comment', 'y']);
  const m = parseDockerignore('# c\n*.log\n/secret\nnode_modules\n**/tmp\n!keep.log\n');
  assert.ok(m.matches('debug.log'));
  assert.not.ok(m.matches('sub/debug.log'));
  assert.not.ok(m.matches('keep.log'));
  assert.ok(m.matches('secret/x'));
  assert.ok(m.matches('a/b/tmp/x'));
  assert.equal(cleanPath('/../a//b/./c/'), '/a/b/c');
  assert.equal(cleanPath('a/..'), '.');
});

test('mayReinclude: exceptions under the dir, or any wildcard exception, keep the walk going', () => {
  const m = compileIgnore(['vendor', '!vendor/keep', 'build', '!**/*.md']);
  assert.ok(m.mayReinclude('vendor'));
  assert.ok(m.mayReinclude('build'), 'a wildcard exception may match anywhere');
  assert.not.ok(compileIgnore(['vendor', '!vendors/x']).mayReinclude('vendor'));
  assert.ok(compileIgnore(['vendor/a', '!vendor/a']).mayReinclude('vendor/a'));
});

test('the ignore file: <Dockerfile>.dockerignore next to the Dockerfile, else <context>/.dockerignore', async () => {
  assert.equal(ignoreFileCandidates('/ctx', 'Dockerfile'), ['/ctx/Dockerfile.dockerignore', '/ctx/.dockerignore']);
  assert.equal(ignoreFileCandidates('/ctx', 'docker/Dockerfile.dev'), ['/ctx/docker/Dockerfile.dev.dockerignore', '/ctx/.dockerignore']);
  assert.equal(ignoreFileCandidates('/ctx', '/elsewhere/App.df'), ['/elsewhere/App.df.dockerignore', '/ctx/.dockerignore']);
  assert.equal(ignoreFileCandidates('/ctx', undefined), ['/ctx/.dockerignore'], 'an inline Dockerfile has no file of its own');
  const dir = mkdtempSync(join(tmpdir(), 'berth-ignore-'));
  try {
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, '.dockerignore'), 'general\n');
    writeFileSync(join(dir, 'docker', 'Dockerfile.dev.dockerignore'), 'specific\n');
    const dev = await loadDockerignore(dir, 'docker/Dockerfile.dev');
    assert.is(dev.file, join(dir, 'docker', 'Dockerfile.dev.dockerignore'));
    assert.ok(dev.matcher.matches('specific/x'));
    assert.not.ok(dev.matcher.matches('general'), 'the specific file replaces .dockerignore');
    const plain = loadDockerignoreSync(dir, 'Dockerfile');
    assert.is(plain.file, join(dir, '.dockerignore'));
    assert.ok(plain.matcher.matches('general'));
    writeFileSync(join(dir, '.dockerignore'), '!\n');
    await loadDockerignore(dir, undefined).then(
      () => assert.unreachable('a bad file must fail'),
      (e: unknown) => assert.ok(e instanceof BerthError && e.code === 'dockerignore/bad-pattern' && e.message.includes('.dockerignore'), String(e)),
    );
    rmSync(join(dir, '.dockerignore'));
    const none = await loadDockerignore(dir, 'Dockerfile');
    assert.is(none.file, undefined);
    assert.not.ok(none.matcher.matches('anything'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
