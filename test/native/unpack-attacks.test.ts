// native/unpack (berth-unpack) fed each attack directly, as a pull feeds it: the tar on stdin,
// the layer dir on fd 3. Every attack must end in exactly one report line of a refusal or a
// malformed-tar kind (a typed, one-line BerthError once parsed), with a canary outside the
// layer untouched. The hostile corpus (test/image/unpack-hostile.test.ts) runs the same
// program through unpackLayer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { nativeHelperPath } from '../../src/image/layer-ops.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { parseReport } from '../../src/image/unpack.js';
import { hostileCorpus } from '../image/hostile-corpus.js';
import { makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';

const skip = skipUnlessKernel('berth-unpack attacks');
const roots = makeTestRoots('unpack-attacks');

/** Everything under `dir` with modes, sizes, times and contents (to compare before/after). */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => {
      const st = lstatSync(join(dir, name));
      return `${name} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${st.isFile() ? JSON.stringify(readFileSync(join(dir, name), 'utf8')) : ''}`;
    })
    .join('\n');
}

/** Runs berth-unpack on `tar` into a fresh layer dir; its exit status and stdout. */
function unpack(tar: Buffer, dest: string, args: string[] = []): { status: number | null; out: string } {
  mkdirSync(dest, { recursive: true });
  const fd = openSync(dest, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const r = spawnSync(nativeHelperPath('berth-unpack'), args, { input: tar, stdio: ['pipe', 'pipe', 'pipe', fd], encoding: 'utf8' });
    return { status: r.status, out: r.stdout };
  } finally {
    closeSync(fd);
  }
}

if (!skip) {
  const base = join(roots.root, 'a');
  const outside = join(base, 'outside');
  const fresh = (): void => {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(join(outside, 'b'), { recursive: true });
    chmodSync(join(outside, 'b'), 0o755);
    writeFileSync(join(outside, 'victim'), 'original\n');
  };

  for (const c of hostileCorpus(outside)) {
    test(`berth-unpack refuses: ${c.name}`, () => {
      fresh();
      const before = snapshot(outside);
      const r = unpack(c.tar, join(base, 'layer'));
      assert.is(r.status, 1, r.out);
      assert.match(r.out, /^[RT] [0-9a-f ]+\n$/, 'exactly one report line');
      const err = parseReport('image evil layer 1', r.out.trim(), 'exited');
      assert.ok(err instanceof BerthError);
      assert.ok(['image/unsafe-layer', 'image/invalid-tar'].includes(err.code), err.code);
      assert.not.match(err.message, /[\n\r]/);
      assert.ok(err.message.includes(c.mentions), `"${err.message}" should mention ${c.mentions}`);
      assert.is(snapshot(outside), before, 'the canary outside is untouched');
    });
  }

  test('a directory swapped for a symlink to outside: its mode and time are not applied through the link', () => {
    fresh();
    const before = snapshot(outside);
    const tar = tarBuffer([
      { name: 'a/', type: 'directory', mode: 0o755 },
      { name: 'a/b/', type: 'directory', mode: 0o700, mtime: 1 },
      { name: 'a', type: 'symlink', mode: 0o777, linkname: outside },
    ]);
    const r = unpack(tar, join(base, 'layer'));
    assert.match(r.out, /^ok 0 sha256:[0-9a-f]{64} \d+ \d+\n$/);
    assert.is(snapshot(outside), before);
  });

  test('an entry deeper than 512 components is refused', () => {
    fresh();
    const r = unpack(tarBuffer([{ name: `${'d/'.repeat(600)}f`, type: 'file', mode: 0o644, data: 'x' }]), join(base, 'layer'));
    const err = parseReport('image deep', r.out.trim(), 'exited');
    assert.ok(err instanceof BerthError && err.code === 'image/unsafe-layer' && err.message.includes('more than 512 components'), String(err));
  });

  test('--gunzip: the diff id of the tar inside, several members, damaged and cut gzip refused', () => {
    fresh();
    const tar = tarBuffer([
      { name: 'd/', type: 'directory', mode: 0o755 },
      { name: 'd/f', type: 'file', mode: 0o644, data: 'x'.repeat(100000) },
    ]);
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
    const ok = (out: string): string => /^ok \d+ (sha256:[0-9a-f]{64}) /.exec(out)?.[1] ?? out;
    assert.is(ok(unpack(gzipSync(tar), join(base, 'z1'), ['--gunzip']).out), diffId);
    assert.is(readFileSync(join(base, 'z1/d/f'), 'utf8').length, 100000);
    const members = Buffer.concat([gzipSync(tar.subarray(0, 1000)), gzipSync(tar.subarray(1000)), Buffer.from('trailing garbage')]);
    assert.is(ok(unpack(members, join(base, 'z2'), ['--gunzip']).out), diffId);
    assert.is(ok(unpack(tar, join(base, 'z3')).out), diffId, 'a plain tar: the same digest');
    const damaged = gzipSync(tar);
    damaged.fill(0x55, 40, 60);
    const r = unpack(damaged, join(base, 'z4'), ['--gunzip']);
    const err = parseReport('image z', r.out.trim(), 'exited');
    assert.ok(err instanceof BerthError && err.code === 'image/invalid-layer', r.out);
    const cut = unpack(gzipSync(tar).subarray(0, 200), join(base, 'z5'), ['--gunzip']);
    assert.match(String(parseReport('image z', cut.out.trim(), 'exited')), /cannot decompress gzip layer: unexpected end of file/);
    assert.is(snapshot(outside).includes('original'), true);
  });

  test('--gunzip: a member whose magic is cut by a read (the first byte last in one read, the second first in the next) is still read', () => {
    fresh();
    // stdin a file: reads of exactly 1 MiB; member 1 (stored, level 0) is 1 MiB - 1 bytes long
    const tar = tarBuffer([{ name: 'big', type: 'file', mode: 0o644, data: randomBytes(1_200_000) }]);
    const target = (1 << 20) - 1;
    const stored = (k: number): Buffer => gzipSync(tar.subarray(0, k), { level: 0 });
    let k = target - 100;
    for (let i = 0; i < 20 && stored(k).length !== target; i++) k += target - stored(k).length;
    const first = stored(k);
    assert.is(first.length, target, 'member 1 ends one byte before the first read does');
    const file = join(base, 'two-members.gz');
    writeFileSync(file, Buffer.concat([first, gzipSync(tar.subarray(k))]));
    const dest = join(base, 'cut-magic');
    mkdirSync(dest, { recursive: true });
    const [input, dir] = [openSync(file, 'r'), openSync(dest, constants.O_RDONLY | constants.O_DIRECTORY)];
    try {
      const r = spawnSync(nativeHelperPath('berth-unpack'), ['--gunzip'], { stdio: [input, 'pipe', 'pipe', dir], encoding: 'utf8' });
      assert.match(r.stdout, new RegExp(`^ok 1200000 sha256:${createHash('sha256').update(tar).digest('hex')} `), r.stdout);
    } finally {
      closeSync(input);
      closeSync(dir);
    }
  });

  test('--gunzip: header fields (extra, name, comment, header crc) read; a wrong data check refused', () => {
    fresh();
    const tar = tarBuffer([{ name: 'f', type: 'file', mode: 0o644, data: 'y'.repeat(300000) }]);
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
    const head = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3, 5, 0]), Buffer.from('extralayer.tar\0a comment\0')]);
    const hcrc = Buffer.alloc(2);
    hcrc.writeUInt16LE(crc32(head) & 0xffff);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(tar), 0);
    trailer.writeUInt32LE(tar.length, 4);
    const gz = Buffer.concat([head, hcrc, deflateRawSync(tar), trailer]);
    const ok = (out: string): string => /^ok \d+ (sha256:[0-9a-f]{64}) /.exec(out)?.[1] ?? out;
    assert.is(ok(unpack(gz, join(base, 'h1'), ['--gunzip']).out), diffId);
    const bad = Buffer.from(gz);
    bad.writeUInt32LE((crc32(tar) ^ 1) >>> 0, bad.length - 8);
    const err = parseReport('image z', unpack(bad, join(base, 'h2'), ['--gunzip']).out.trim(), 'exited');
    assert.ok(err instanceof BerthError && err.code === 'image/invalid-layer', String(err));
  });

  test('garbage and an empty stream: malformed, or an empty layer', () => {
    fresh();
    assert.match(unpack(Buffer.alloc(700, 0x41), join(base, 'g')).out, /^T /);
    assert.match(unpack(Buffer.alloc(0), join(base, 'e')).out, /^ok 0 /);
  });
}

test.after(() => roots.cleanup());
test.run();
