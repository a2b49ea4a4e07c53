// Layer compression: gzip, zstd (Node >= 22.15) or none, detected from the first bytes
// (media types lie more often than magic numbers do).
import type { Transform } from 'node:stream';
import { BerthError } from '../errors.js';
const { Readable, pipeline } = process.getBuiltinModule('node:stream');
const zlib = process.getBuiltinModule('node:zlib');

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

function decompressor(c: 'gzip' | 'zstd'): Transform {
  if (c === 'gzip') return zlib.createGunzip({ chunkSize: 128 * 1024 });
  const z = zlib as unknown as { createZstdDecompress?: () => Transform };
  if (!z.createZstdDecompress) throw new BerthError('image/unsupported', 'zstd layers need Node >= 22.15');
  return z.createZstdDecompress();
}

/** The stream's compression, from its first bytes, and the stream itself (those bytes included). */
export async function sniff(src: AsyncIterable<Buffer>): Promise<{ compression: Compression; chunks: AsyncGenerator<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (head.length < 4) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head = head.length ? Buffer.concat([head, r.value]) : r.value;
  }
  const chunks = async function* (): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    while (!done) {
      const r = await it.next();
      if (r.done) break;
      yield r.value;
    }
  };
  return { compression: detectCompression(head), chunks: chunks() };
}

/** Decompresses a layer stream whatever its compression. */
export async function* decompress(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const { compression: c, chunks } = await sniff(src);
  if (c === 'none') {
    yield* chunks;
    return;
  }
  const d = decompressor(c);
  pipeline(Readable.from(chunks), d, () => undefined);
  try {
    for await (const chunk of d) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof BerthError) throw err;
    throw new BerthError('image/invalid-layer', `cannot decompress ${c} layer: ${(err as Error).message}`, { cause: err });
  }
}
