// What a layer unpack must preserve, and the safe cases that must NOT be refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpackLayer } from '../../src/image/unpack.js';
import { LayerOps } from '../../src/image/layer-ops.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { readTar } from '../../src/image/tar-reader.js';
import { makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';

const skip = skipUnlessKernel('image unpack (features)');
const roots = makeTestRoots('unpack');
let n = 0;
async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}
const target = (): string => {
  const d = join(roots.root, `t${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const EXT4_MAGIC = 0xef53;
const CAP = Buffer.from('0100000200200000000000000000000000000000', 'hex');

if (!skip) {
  test('modes, owners, mtimes (also of directories), setuid, capabilities, links, devices, fifos, whiteouts, opaque', async () => {
    const d = target();
    const t = 1500000000;
    await unpackLayer(
      once(
        tarBuffer([
          { name: 'd/', type: 'directory', mode: 0o750, uid: 7, gid: 8, mtime: t },
          { name: 'd/f', type: 'file', mode: 0o4711, uid: 0, gid: 0, mtime: t + 1, data: 'x', xattrs: { 'security.capability': CAP, 'user.note': Buffer.from('hi') } },
          { name: 'd/h', type: 'hardlink', mode: 0, mtime: t, linkname: 'd/f' },
          { name: 'd/s', type: 'symlink', mode: 0o777, uid: 5, gid: 5, mtime: t + 2, linkname: '/etc/passwd' },
          { name: 'd/fifo', type: 'fifo', mode: 0o620, mtime: t },
          { name: 'd/blk', type: 'block', mode: 0o600, mtime: t, devmajor: 7, devminor: 0 },
          { name: 'd/.wh.gone', type: 'file', mode: 0o644, mtime: t, data: '' },
          { name: 'o/', type: 'directory', mode: 0o755, mtime: t },
          { name: 'o/.wh..wh..opq', type: 'file', mode: 0o644, mtime: t, data: '' },
          { name: 'big', type: 'file', mode: 0o644, uid: 3000000, gid: 3000001, mtime: t, data: Buffer.alloc(3 << 20, 7) },
          { name: 'long/'.repeat(30) + 'name-longer-than-100-bytes', type: 'file', mode: 0o644, mtime: t, data: 'deep' },
        ]),
      ),
      d,
      { what: 'image t' },
    );
    const dir = lstatSync(join(d, 'd'));
    assert.is(dir.mode & 0o7777, 0o750);
    assert.is(dir.uid, 7);
    assert.is(dir.mtimeMs, t * 1000);
    const f = lstatSync(join(d, 'd/f'));
    assert.is(f.mode & 0o7777, 0o4711);
    assert.is(f.mtimeMs, (t + 1) * 1000);
    assert.is(lstatSync(join(d, 'd/h')).ino, f.ino);
    assert.is(readlinkSync(join(d, 'd/s')), '/etc/passwd');
    assert.is(lstatSync(join(d, 'd/s')).uid, 5);
    assert.ok(lstatSync(join(d, 'd/fifo')).isFIFO());
    assert.ok(lstatSync(join(d, 'd/blk')).isBlockDevice());
    const wh = lstatSync(join(d, 'd/gone'));
    assert.ok(wh.isCharacterDevice() && wh.rdev === 0);
    assert.is(lstatSync(join(d, 'big')).uid, 3000000);
    assert.is(lstatSync(join(d, 'big')).size, 3 << 20);
    assert.is(readFileSync(join(d, 'long/'.repeat(30) + 'name-longer-than-100-bytes'), 'utf8'), 'deep');
    const ops = new LayerOps();
    try {
      assert.equal(await ops.getXattr(join(d, 'd/f'), 'security.capability'), CAP);
      assert.is((await ops.getXattr(join(d, 'o'), 'trusted.overlay.opaque'))?.toString(), 'y');
    } finally {
      ops.close();
    }
  });

  test('safe replacements: a file replacing a symlink to outside writes a new file, never through the link', async () => {
    const d = target();
    const outside = join(roots.root, 'outside-victim');
    writeFileSync(outside, 'original\n');
    await unpackLayer(
      once(
        tarBuffer([
          { name: 'x', type: 'symlink', mode: 0o777, linkname: outside },
          { name: 'x', type: 'file', mode: 0o644, data: 'new\n' },
          { name: 'dir', type: 'symlink', mode: 0o777, linkname: '/' },
          { name: 'dir/', type: 'directory', mode: 0o755 },
          { name: 'dir/file', type: 'file', mode: 0o644, data: 'inside\n' },
          { name: 'a', type: 'file', mode: 0o644, data: 'a' },
          { name: 'a', type: 'directory', mode: 0o755 },
          { name: 'a/b', type: 'file', mode: 0o644, data: 'b' },
        ] as Parameters<typeof tarBuffer>[0]),
      ),
      d,
      { what: 'image t' },
    );
    assert.is(readFileSync(outside, 'utf8'), 'original\n');
    assert.is(readFileSync(join(d, 'x'), 'utf8'), 'new\n');
    assert.ok(lstatSync(join(d, 'dir')).isDirectory());
    assert.is(readFileSync(join(d, 'dir/file'), 'utf8'), 'inside\n');
    assert.is(readFileSync(join(d, 'a/b'), 'utf8'), 'b');
  });

  // ext4 (without a journal) skips every inode freed in the last minute, one buffer lookup
  // each: right after a layer was removed nearby, creates cost ~1 ms. The layer root asks
  // ext4 to spread its subdirectories over block groups (FS_TOPDIR_FL, `lsattr` shows T).
  test('the layer root asks ext4 to spread its subdirectories (FS_TOPDIR_FL)', async () => {
    const d = target();
    if (statfsSync(d).type !== EXT4_MAGIC) {
      console.log(`  skip: ${d} is not on ext4 (FS_TOPDIR_FL is an ext4 placement hint)`);
      return;
    }
    await unpackLayer(once(tarBuffer([{ name: 'usr/', type: 'directory', mode: 0o755 }])), d, { what: 'image t' });
    assert.match(execFileSync('lsattr', ['-d', d], { encoding: 'utf8' }).split(' ')[0]!, /T/);
  });

  test('tar reader: round trip of pax names, xattrs, big uids', async () => {
    const long = `${'p/'.repeat(80)}f`;
    const entries = [];
    for await (const e of readTar(once(tarBuffer([{ name: long, type: 'file', mode: 0o600, uid: 9999999, data: 'z', xattrs: { 'user.a': Buffer.from('1') } }])))) {
      let body = '';
      for await (const c of e.body()) body += c.toString();
      entries.push({ name: e.name, uid: e.uid, body, x: e.xattrs['user.a']?.toString() });
    }
    assert.equal(entries, [{ name: long, uid: 9999999, body: 'z', x: '1' }]);
  });

  test.after(() => roots.cleanup());
}
test.run();
