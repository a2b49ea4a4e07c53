import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeShimConfig } from '../../src/native/shim-config.js';
import { parseShimFailure, parseShimMessage, shimError, lineSplitter } from '../../src/native/shim-protocol.js';

test('records are key=value NUL-terminated; compound fields joined with \\x1f', () => {
  const buf = encodeShimConfig([
    ['id', 'a'],
    ['arg', 'x y'],
    ['mount', ['bind', '/s', '/t', 4096, 0, 0, 1, '']],
    ['nnp', true],
    ['caps', 5n],
  ]);
  assert.is(buf.toString(), 'id=a\0arg=x y\0mount=bind\x1f/s\x1f/t\x1f4096\x1f0\x1f0\x1f1\x1f\0nnp=1\0caps=5\0');
});
test('a NUL inside a value is refused', () => {
  assert.throws(() => encodeShimConfig([['arg', 'a\0b']]));
});
test('shim messages are validated', () => {
  assert.equal(parseShimMessage('{"type":"created","pid":12}'), { type: 'created', pid: 12 });
  assert.is(parseShimMessage('{"type":"created"}'), undefined);
  assert.is(parseShimMessage('nonsense'), undefined);
  const exit = parseShimMessage('{"type":"exit","exitCode":137,"signal":9,"oomKilled":true,"finishedAt":"t"}');
  assert.equal(exit, { type: 'exit', exitCode: 137, signal: 9, oomKilled: true, finishedAt: 't' });
});
test('a shim failure becomes a typed error naming the container', () => {
  const f = parseShimFailure('{"type":"error","syscall":"mount","errno":2,"path":"/x","message":"overlay rootfs"}')!;
  const err = shimError('web', f);
  assert.is(err.code, 'runtime/syscall');
  assert.is(err.message, 'container web: mount /x: overlay rootfs (ENOENT)');
  const ex = shimError('web', { syscall: 'execve', errno: 2, path: 'nope', message: 'executable file not found in $PATH' });
  assert.is(ex.code, 'runtime/exec-not-found');
  const denied = shimError('web', { syscall: 'execve', errno: 13, path: '/etc/passwd', message: 'permission denied' });
  assert.is(denied.code, 'runtime/exec-denied');
  assert.is(denied.message, 'container web: cannot start "/etc/passwd": permission denied');
});
test('lineSplitter joins chunks', () => {
  const lines: string[] = [];
  const feed = lineSplitter((l) => lines.push(l));
  feed('a\nb');
  feed('c\n\nd\n');
  assert.equal(lines, ['a', 'bc', 'd']);
});

test('the shim refuses a key it does not know (TypeScript and C agree on ShimKey)', () => {
  const shim = join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim');
  if (!existsSync(shim)) {
    console.log('  skipped: no native/build/berth-shim (npm run build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'berth-shimconf-'));
  try {
    const conf = join(dir, 'config');
    writeFileSync(conf, Buffer.concat([encodeShimConfig([['arg', '/bin/true']]), Buffer.from('bogus=1\0')]));
    const r = spawnSync(shim, ['exec', conf], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    assert.is.not(r.status, 0);
    assert.match(r.stderr, /config bogus: unknown key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
