// gzip inflated in Node as berth-unpack inflates it (native/unpack/source.c), for a
// berth-unpack built without zlib: members one after another, each checked (header, CRC-32,
// length); after a member the stream goes on only when the next two bytes are gzip's magic,
// other bytes (zeros, garbage) are read and ignored, as gzip(1) does. node:zlib's own gunzip
// refuses such garbage (and drops the output of the write that met it): the two paths must
// accept the same layers. Streams: a member's output is read with backpressure.
import type { InflateRaw } from 'node:zlib';
import { BerthError } from '../errors.js';
const zlib = process.getBuiltinModule('node:zlib');

const bad = (what: string, cause?: unknown): BerthError => new BerthError('image/invalid-layer', `cannot decompress gzip layer: ${what}`, cause ? { cause } : {});

/** A byte source read in pieces, with what was read too far put back. */
class Input {
  private readonly pending: Buffer[] = [];
  private readonly it: AsyncIterator<Buffer>;
  private done = false;
  constructor(src: AsyncIterable<Buffer>) {
    this.it = src[Symbol.asyncIterator]();
  }
  putBack(b: Buffer): void {
    if (b.length) this.pending.unshift(b);
  }
  /** The next piece, undefined at the end. */
  async next(): Promise<Buffer | undefined> {
    const kept = this.pending.shift();
    if (kept || this.done) return kept;
    const r = await this.it.next();
    if (r.done) this.done = true;
    return r.done ? undefined : r.value;
  }
  /** n bytes, fewer only at the end. */
  async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    for (let c; have < n && (c = await this.next()); have += c.length) parts.push(c);
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.putBack(all.subarray(n));
    return all.subarray(0, n);
  }
  /** n bytes, or "unexpected end of file". */
  async exactly(n: number): Promise<Buffer> {
    const b = await this.take(n);
    if (b.length < n) throw bad('unexpected end of file');
    return b;
  }
  /** The bytes up to and including the next zero (a header's name or comment). */
  async throughZero(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const c = await this.next();
      if (!c) throw bad('unexpected end of file');
      const end = c.indexOf(0);
      if (end < 0) {
        parts.push(c);
        continue;
      }
      parts.push(c.subarray(0, end + 1));
      this.putBack(c.subarray(end + 1));
      return Buffer.concat(parts);
    }
  }
  async drain(): Promise<void> {
    while (await this.next());
  }
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** A member's header (RFC 1952), checked as zlib checks it. */
async function readHeader(input: Input): Promise<void> {
  const fixed = await input.exactly(10);
  if (fixed[0] !== 0x1f || fixed[1] !== 0x8b) throw bad('incorrect header check');
  if (fixed[2] !== 8) throw bad('unknown compression method');
  const flags = fixed[3]!;
  if (flags & 0xe0) throw bad('unknown header flags set');
  const header = [fixed];
  if (flags & FEXTRA) {
    const len = await input.exactly(2);
    header.push(len, await input.exactly(len.readUInt16LE(0)));
  }
  if (flags & FNAME) header.push(await input.throughZero());
  if (flags & FCOMMENT) header.push(await input.throughZero());
  if (flags & FHCRC) {
    const crc = (await input.exactly(2)).readUInt16LE(0);
    if (crc !== (zlib.crc32(Buffer.concat(header)) & 0xffff)) throw bad('header crc mismatch');
  }
}

/** A member's deflate data; what it read past its end goes back to `input`. */
async function* inflateMember(input: Input): AsyncGenerator<Buffer> {
  const inf: InflateRaw = zlib.createInflateRaw({ chunkSize: 128 * 1024 });
  let fed = 0;
  // the writer: a piece at a time; zlib stops taking input at the end of the deflate data
  const feeding = (async () => {
    for (;;) {
      const c = await input.next();
      if (!c) return void inf.end();
      fed += c.length;
      await new Promise<void>((resolve, reject) => inf.write(c, (err) => (err ? reject(err) : resolve())));
      const unread = fed - inf.bytesWritten;
      if (unread > 0) {
        input.putBack(c.subarray(c.length - unread));
        return void inf.end();
      }
    }
  })();
  feeding.catch(() => undefined); // its error also ends the reading below
  try {
    for await (const out of inf) yield out as Buffer;
  } catch (err) {
    throw err instanceof BerthError ? err : bad((err as Error).message, err);
  } finally {
    inf.destroy();
  }
  await feeding;
}

/** The tar inside a gzip stream (an empty stream: an empty tar, as berth-unpack reads it). */
export async function* gunzip(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = new Input(src);
  for (let member = 0; ; member++) {
    const magic = await input.take(2);
    input.putBack(magic);
    if (member === 0 && magic.length === 0) return;
    if (member > 0 && !(magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b)) return input.drain();
    await readHeader(input);
    let crc = 0;
    let size = 0;
    for await (const out of inflateMember(input)) {
      crc = zlib.crc32(out, crc);
      size += out.length;
      yield out;
    }
    const trailer = await input.exactly(8);
    if (trailer.readUInt32LE(0) !== crc) throw bad('incorrect data check');
    if (trailer.readUInt32LE(4) !== size % 2 ** 32) throw bad('incorrect length check');
  }
}
