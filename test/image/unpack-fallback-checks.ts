// What unpackLayer must give whoever inflates and hashes (berth-unpack itself, or Node for a
// berth-unpack built without zlib's or OpenSSL's headers): the same diff id, the same typed
// errors, the same refusals. Used with capabilities forced (unpack-fallback.test.ts) and with
// a real build without the headers (test/native/unpack-build.test.ts).
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BerthError } from '../../src/errors.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { unpackLayer, type UnpackCapability } from '../../src/image/unpack.js';
import { hostileCorpus } from './hostile-corpus.js';

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

const TAR = tarBuffer([
  { name: 'd/', type: 'directory', mode: 0o755 },
  { name: 'd/f', type: 'file', mode: 0o644, data: 'x'.repeat(100000) },
  { name: 'd/l', type: 'symlink', mode: 0o777, linkname: 'f' },
]);
const DIFF_ID = `sha256:${createHash('sha256').update(TAR).digest('hex')}`;

/** Registers the checks on `test` for unpacking into dirs under `base` (`label` names the path). */
export function unpackChecks(test: Test, base: string, label: string, capabilities?: ReadonlySet<UnpackCapability>): void {
  let n = 0;
  const dest = (): string => {
    const d = join(base, `l${n++}`);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const unpack = (bytes: Buffer, into: string, gunzip: boolean) => unpackLayer(once(bytes), into, { what: 'image x layer 1', gunzip, ...(capabilities ? { capabilities } : {}) });
  const failure = (bytes: Buffer, gunzip = true): Promise<BerthError> =>
    unpack(bytes, dest(), gunzip).then(
      (r) => assert.unreachable(`unpacked: ${JSON.stringify(r)}`) as never,
      (err: unknown) => (assert.instance(err, BerthError), err as BerthError),
    );

  test(`${label}: a gzip'd tar, in one member or several, other bytes after them, and the plain tar: the diff id of the tar, the files`, async () => {
    const one = dest();
    assert.equal(await unpack(gzipSync(TAR), one, true), { size: 100000, digest: DIFF_ID });
    assert.is(readFileSync(join(one, 'd/f'), 'utf8').length, 100000);
    const members = Buffer.concat([gzipSync(TAR.subarray(0, 1000)), gzipSync(TAR.subarray(1000))]);
    assert.is((await unpack(members, dest(), true)).digest, DIFF_ID);
    assert.is((await unpack(Buffer.concat([members, Buffer.from('trailing garbage')]), dest(), true)).digest, DIFF_ID, 'bytes after the last member: ignored');
    assert.is((await unpack(TAR, dest(), false)).digest, DIFF_ID);
    assert.is((await unpack(Buffer.alloc(0), dest(), false)).digest, `sha256:${createHash('sha256').digest('hex')}`);
  });

  test(`${label}: damaged and cut gzip: image/invalid-layer`, async () => {
    const damaged = gzipSync(TAR);
    damaged.fill(0x55, 40, 60);
    assert.is((await failure(damaged)).code, 'image/invalid-layer');
    const cut = await failure(gzipSync(TAR).subarray(0, 200));
    assert.is(cut.code, 'image/invalid-layer');
    assert.match(cut.message, /cannot decompress gzip layer: unexpected end of file/);
  });

  test(`${label}: every hostile layer, gzip'd, is refused by berth-unpack's rules, nothing written outside`, async () => {
    const outside = join(base, 'outside');
    for (const c of hostileCorpus(outside)) {
      rmSync(outside, { recursive: true, force: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'victim'), 'original\n');
      const err = await failure(gzipSync(c.tar));
      assert.ok(['image/unsafe-layer', 'image/invalid-tar'].includes(err.code), `${c.name}: ${err.code} ${err.message}`);
      assert.ok(err.message.includes(c.mentions), `${c.name}: "${err.message}" should mention ${c.mentions}`);
      assert.equal(readdirSync(outside), ['victim'], c.name);
      assert.is(readFileSync(join(outside, 'victim'), 'utf8'), 'original\n', c.name);
    }
  });
}
