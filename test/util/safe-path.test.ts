// The safe-path primitive: walking beneath a root refuses every symlink, resolving in a
// root keeps symlinks (absolute, relative, `..`) inside it, reads are regular-file-only and
// capped, a layer stack resolves as the container sees it, copies never follow a link.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { LayerStack, SafeDir, copyTree, readCapped, resolveInRoot, using, walkBeneath } from '../../src/util/safe-path/index.js';

const base = mkdtempSync(join(tmpdir(), 'berth-safe-path-'));
test.after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (): { root: string; outside: string } => {
  const d = join(base, `t${n++}`);
  mkdirSync(join(d, 'root'), { recursive: true });
  mkdirSync(join(d, 'outside'));
  writeFileSync(join(d, 'outside', 'canary'), 'host');
  return { root: join(d, 'root'), outside: join(d, 'outside') };
};
const openFds = (): number => readdirSync('/proc/self/fd').length;
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

test('walkBeneath creates missing dirs and refuses a symlink on the way', () => {
  const { root, outside } = fresh();
  symlinkSync(outside, join(root, 'x'));
  const fds = openFds();
  using(SafeDir.open(root), (r) => {
    walkBeneath(r, ['a', 'b'], { what: 't', create: 0o755 }).close();
    assert.ok(lstatSync(join(root, 'a/b')).isDirectory());
    assert.is(
      code(() => walkBeneath(r, ['x', 'y'], { what: 't', create: 0o755 })),
      'fs/unsafe-path',
    );
    assert.is(
      code(() => walkBeneath(r, ['..', 'outside'], { what: 't' })),
      'fs/unsafe-path',
    );
  });
  assert.equal(readdirSync(outside), ['canary']);
  assert.is(openFds(), fds, 'no fd left open');
});

test('resolveInRoot keeps absolute, relative and .. symlinks inside the root', () => {
  const { root, outside } = fresh();
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/passwd'), 'inside');
  symlinkSync('/etc', join(root, 'abs'));
  symlinkSync(`../../../../../..${outside}`, join(root, 'up'));
  symlinkSync('abs/passwd', join(root, 'rel'));
  const fds = openFds();
  using(SafeDir.open(root), (r) => {
    const a = resolveInRoot(r, 'abs/passwd', { what: 't' });
    assert.is(a.path, '/etc/passwd');
    assert.is(readCapped(a.dir, a.name!, 100, 't').toString(), 'inside');
    a.dir.close();
    // `up` is ../../..<outside>: it stops at the root, so <root><outside> (absent) is looked at
    assert.is(
      code(() => resolveInRoot(r, 'up/canary', { what: 't' })),
      'ENOENT',
    );
    mkdirSync(join(root, outside), { recursive: true });
    const u = resolveInRoot(r, 'up/canary', { what: 't' });
    assert.is(u.path, `${outside}/canary`);
    assert.is(u.dir.lstat('canary'), undefined, 'nothing of the host is seen');
    u.dir.close();
    const l = resolveInRoot(r, 'rel', { what: 't', followLast: true });
    assert.is(l.path, '/etc/passwd');
    l.dir.close();
  });
  assert.is(openFds(), fds, 'no fd left open');
});

test('readCapped: regular files only, size capped', () => {
  const { root } = fresh();
  symlinkSync('/dev/zero', join(root, 'zero'));
  writeFileSync(join(root, 'big'), 'x'.repeat(100));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  using(SafeDir.open(root), (r) => {
    assert.is(
      code(() => readCapped(r, 'zero', 10, 't')),
      'fs/not-regular',
    );
    assert.is(
      code(() => readCapped(r, 'fifo', 10, 't')),
      'fs/not-regular',
    );
    assert.is(
      code(() => readCapped(r, 'big', 10, 't')),
      'fs/too-large',
    );
    assert.is(readCapped(r, 'big', 100, 't').length, 100);
  });
});

test('LayerStack resolves in the image; whiteouts and non-dirs hide lower layers', () => {
  const { root, outside } = fresh();
  const top = join(root, 'top');
  const low = join(root, 'low');
  mkdirSync(join(low, 'etc'), { recursive: true });
  mkdirSync(join(top, 'etc'), { recursive: true });
  writeFileSync(join(low, 'etc/group'), 'g');
  writeFileSync(join(low, 'etc/real'), 'real');
  symlinkSync('/etc/real', join(top, 'etc/passwd'));
  symlinkSync(join(outside, 'canary'), join(top, 'etc/shadowy'));
  const s = new LayerStack([top, low]);
  assert.is(s.readFile('/etc/passwd', 100, 't')?.toString(), 'real');
  assert.is(s.readFile('/etc/group', 100, 't')?.toString(), 'g');
  assert.is(s.readFile('/etc/shadowy', 100, 't'), undefined, 'a link to a host file resolves inside the image');
  assert.is(s.resolve('/etc/shadowy', true, 't'), `${outside}/canary`);
});

test('copyTree copies links as links and never writes through them', () => {
  const { root, outside } = fresh();
  mkdirSync(join(root, 'src/d'), { recursive: true });
  writeFileSync(join(root, 'src/d/f'), 'data');
  symlinkSync(outside, join(root, 'src/l'));
  mkdirSync(join(root, 'dst'));
  symlinkSync(outside, join(root, 'dst/d'));
  using(SafeDir.open(join(root, 'src')), (s) => using(SafeDir.open(join(root, 'dst')), (d) => copyTree(s, d)));
  assert.is(readlinkSync(join(root, 'dst/l')), outside);
  assert.is(readFileSync(join(root, 'dst/d/f'), 'utf8'), 'data');
  assert.ok(lstatSync(join(root, 'dst/d')).isDirectory(), 'the planted link was replaced, not followed');
  assert.equal(readdirSync(outside), ['canary']);
  assert.not.ok(existsSync(join(outside, 'f')));
});

test('errors are typed', () => {
  const { root } = fresh();
  symlinkSync('/', join(root, 'x'));
  try {
    using(SafeDir.open(root), (r) => walkBeneath(r, ['x'], { what: 'cp web:/x' }));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, BerthError);
    assert.match((err as Error).message, /^cp web:\/x: "x" would pass through the symlink "x"; refused$/);
  }
});

test.run();
