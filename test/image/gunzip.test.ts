// src/image/gunzip.ts: gzip read as berth-unpack reads it (members, header fields, checks,
// what follows the last member ignored), whatever the pieces it arrives in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc32, gzipSync } from 'node:zlib';
import { BerthError } from '../../src/errors.js';
import { gunzip } from '../../src/image/gunzip.js';

const DATA = Buffer.from('berth '.repeat(20000) + 'layer\n'.repeat(3000));

/** `bytes` in pieces of `size`, through gunzip: the output, or the error's message. */
async function inflate(bytes: Buffer, size = bytes.length || 1): Promise<Buffer | string> {
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Buffer[] = [];
  try {
    for await (const c of gunzip(pieces())) out.push(c);
  } catch (err) {
    assert.instance(err, BerthError);
    assert.is((err as BerthError).code, 'image/invalid-layer');
    return (err as Error).message;
  }
  return Buffer.concat(out);
}

/** A member with the optional header fields gzip(1) may write: extra, name, comment, header CRC. */
function fancyMember(data: Buffer): Buffer {
  const plain = gzipSync(data);
  const extra = Buffer.from([4, 0, 0x41, 0x42, 2, 0, 1, 2]);
  const head = Buffer.concat([plain.subarray(0, 10), extra.subarray(0, 2), extra.subarray(2, 6), Buffer.from('layer.tar\0'), Buffer.from('a comment\0')]);
  head[3] = 2 | 4 | 8 | 16;
  head.writeUInt16LE(4, 10);
  const hcrc = Buffer.alloc(2);
  hcrc.writeUInt16LE(crc32(head) & 0xffff);
  return Buffer.concat([head, hcrc, plain.subarray(10)]);
}

test('one member, several members, header fields, zeros or garbage after the last member: the data, in any pieces', async () => {
  const members = Buffer.concat([gzipSync(DATA.subarray(0, 1000)), fancyMember(DATA.subarray(1000, 5000)), gzipSync(DATA.subarray(5000))]);
  const streams = {
    one: gzipSync(DATA),
    members,
    zeros: Buffer.concat([members, Buffer.alloc(100)]),
    garbage: Buffer.concat([members, Buffer.from('trailing garbage')]),
    'half a magic': Buffer.concat([members, Buffer.from([0x1f])]),
  };
  for (const [name, bytes] of Object.entries(streams)) {
    for (const size of [1, 2, 9, 4096, bytes.length]) {
      const out = await inflate(bytes, size);
      assert.ok(Buffer.isBuffer(out) && out.equals(DATA), `${name} in pieces of ${size}: ${typeof out === 'string' ? out : out.length}`);
    }
  }
  assert.equal(await inflate(Buffer.alloc(0)), Buffer.alloc(0), 'an empty stream: nothing');
});

test('damage is refused with the reason: cut anywhere, a bad header, a bad CRC or length, a bad header CRC', async () => {
  const good = fancyMember(DATA.subarray(0, 3000));
  for (let cut = 1; cut < good.length; cut++) assert.is(await inflate(good.subarray(0, cut), 7), 'cannot decompress gzip layer: unexpected end of file', `cut at ${cut}`);
  const damaged = (at: number, value: number): Buffer => {
    const b = Buffer.from(good);
    b[at] = value;
    return b;
  };
  assert.match(String(await inflate(damaged(1, 0x8c))), /incorrect header check/);
  assert.match(String(await inflate(damaged(2, 7))), /unknown compression method/);
  assert.match(String(await inflate(damaged(3, good[3]! | 0x80))), /unknown header flags set/);
  assert.match(String(await inflate(damaged(14, 0x58))), /header crc mismatch/);
  assert.match(String(await inflate(damaged(good.length - 8, good[good.length - 8]! ^ 1))), /incorrect data check/);
  assert.match(String(await inflate(damaged(good.length - 4, good[good.length - 4]! ^ 1))), /incorrect length check/);
  assert.match(String(await inflate(Buffer.concat([gzipSync(DATA), Buffer.from([0x1f, 0x8b, 8, 0])]))), /unexpected end of file/, 'a second member cut short');
});

test.run();
