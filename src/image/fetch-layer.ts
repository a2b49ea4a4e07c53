// One layer into the store in a single pass: the compressed bytes are hashed and written
// to a temp blob while being decompressed, hashed again (diff id) and unpacked into a temp
// dir. Only when both digests match are blob and dir renamed into place; on any failure
// both temps are removed, so an interrupted or tampered pull leaves nothing behind.
import { BerthError, errnoCode } from '../errors.js';
import { decompress, sniff } from './compression.js';
import { checkDigest, HashingStream } from './digest.js';
import { blobPath, hasBlob, hasLayer, layerRoot, tmpName, type ImageStore, type LayerDescriptor } from './store.js';
import { unpackLayer } from './unpack.js';
import { trace } from '../util/trace.js';
import type { Digest } from './types.js';
const { writeSync } = process.getBuiltinModule('node:fs');
const { open, mkdir, rename, rm, writeFile } = process.getBuiltinModule('node:fs/promises');
const { join } = process.getBuiltinModule('node:path');

export interface LayerSource {
  /** The compressed blob's bytes. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

export interface StoreLayerOptions {
  readonly what: string;
  readonly signal?: AbortSignal;
  readonly onBytes?: (current: number) => void;
  /** Keep the compressed blob (pull: yes; import of a plain tar: also yes). */
  readonly keepBlob?: boolean;
  /** On an interruption (network, abort) keep the bytes received so far here, to resume from. */
  readonly partialPath?: string;
}

/** Where an interrupted download of `digest` keeps its first bytes (see pull.ts). */
export const partialPath = (s: ImageStore, digest: Digest): string => join(s.tmp, `partial-${digest.slice(7)}`);

/** Stores the layer blob `desc` (whose uncompressed digest must be `diffId`) from `source`. */
export async function storeLayer(s: ImageStore, desc: LayerDescriptor, diffId: Digest | undefined, source: LayerSource, o: StoreLayerOptions): Promise<{ diffId: Digest; size: number }> {
  const tmpBlob = tmpName(s, 'blob');
  const tmpLayer = tmpName(s, 'layer');
  const needUnpack = diffId === undefined || !hasLayer(s, diffId);
  const compressed = new HashingStream();
  const uncompressed = new HashingStream();
  const fh = await open(tmpBlob, 'w');
  let done = false;
  let keepPartial = false;
  let drainForDigest: (() => Promise<Digest>) | undefined;
  /** The download itself broke off (not the unpacking): there is nothing left to drain. */
  let sourceFailed = false;
  try {
    const src = source.chunks[Symbol.asyncIterator]();
    const toBuffer = (raw: Uint8Array): Buffer => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    // the descriptor's size bounds what is read: a registry cannot fill the disk or memory
    const declared = desc.size >= 0 ? desc.size : undefined;
    const tooLarge = (): BerthError => new BerthError('image/size-mismatch', `${o.what}: the blob is larger than the ${declared} bytes its descriptor declares; refused`);
    drainForDigest = async (): Promise<Digest> => {
      for (;;) {
        const r = await src.next();
        if (r.done) break;
        compressed.hash.update(toBuffer(r.value));
        compressed.bytes += r.value.length;
        if (declared !== undefined && compressed.bytes > declared) throw tooLarge();
      }
      return compressed.digest();
    };
    async function* tee(): AsyncGenerator<Buffer> {
      for (;;) {
        const r = await src.next().catch((err: unknown) => {
          sourceFailed = true;
          throw err;
        });
        if (r.done) break;
        const chunk = toBuffer(r.value);
        if (compressed.bytes === 0) trace(`layer: ${o.what}: first byte`);
        compressed.hash.update(chunk);
        compressed.bytes += chunk.length;
        if (declared !== undefined && compressed.bytes > declared) throw tooLarge();
        o.onBytes?.(compressed.bytes);
        let off = 0;
        while (off < chunk.length) off += writeSync(fh.fd, chunk, off, chunk.length - off); // page cache: no pool round trip per network chunk
        yield chunk;
      }
      trace(`layer: ${o.what}: last byte (${compressed.bytes})`);
    }
    async function* hashed(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const c of src) {
        uncompressed.hash.update(c);
        uncompressed.bytes += c.length;
        yield c;
      }
    }
    let size = 0;
    let actualDiff: Digest;
    if (needUnpack) {
      await mkdir(join(tmpLayer, 'diff'), { recursive: true });
      // gzip goes to unpackLayer as it is (berth-unpack inflates and hashes on its own thread, when built to); zstd is inflated here
      const { compression, chunks } = await sniff(tee());
      const gunzip = compression === 'gzip';
      const unpacked = await unpackLayer(gunzip ? chunks : decompress(chunks), join(tmpLayer, 'diff'), { what: o.what, signal: o.signal, gunzip });
      size = unpacked.size;
      actualDiff = unpacked.digest;
    } else {
      for await (const _ of hashed(decompress(tee())));
      actualDiff = uncompressed.digest();
    }
    await fh.close();
    trace(`layer: ${o.what}: downloaded, unpacked`);
    if (declared !== undefined && compressed.bytes !== declared) {
      throw new BerthError('image/size-mismatch', `${o.what}: the blob has ${compressed.bytes} bytes, its descriptor declares ${declared}; refused`);
    }
    checkDigest(`${o.what}: blob`, desc.digest, compressed.digest());
    if (diffId) checkDigest(`${o.what}: uncompressed layer (diff id)`, diffId, actualDiff);
    const finalDiff = diffId ?? actualDiff;
    if (o.keepBlob !== false && !hasBlob(s, desc.digest)) await rename(tmpBlob, blobPath(s, desc.digest));
    if (needUnpack) {
      await writeFile(join(tmpLayer, 'size'), String(size));
      try {
        await rename(tmpLayer, layerRoot(s, finalDiff));
      } catch (err) {
        if (!['EEXIST', 'ENOTEMPTY'].includes(errnoCode(err) ?? '')) throw err;
      }
    }
    done = true;
    trace(`layer: ${o.what}: verified and in place`);
    return { diffId: finalDiff, size };
  } catch (err) {
    // an interruption (not bad content) keeps what arrived, to resume from next time
    keepPartial =
      o.partialPath !== undefined &&
      (o.signal?.aborted === true ||
        (err instanceof BerthError ? err.code === 'image/registry-unreachable' : errnoCode(err) === undefined || errnoCode(err) === 'ECONNRESET' || errnoCode(err) === 'UND_ERR_SOCKET'));
    if (o.signal?.aborted) throw o.signal.reason ?? err; // the abort's reason, not how the stream ended (node:http: "aborted")
    // a layer that fails to decompress or unpack: when its bytes do not match the digest
    // either, say so (tampering or corruption in transit), keeping the first error as cause
    if (drainForDigest && !sourceFailed && !(err instanceof BerthError && ['image/digest-mismatch', 'image/size-mismatch'].includes(err.code))) {
      const actual = await drainForDigest().catch(() => undefined);
      if (actual && actual !== desc.digest) {
        try {
          checkDigest(`${o.what}: blob`, desc.digest, actual);
        } catch (mismatch) {
          (mismatch as { cause?: unknown }).cause = err;
          throw mismatch;
        }
      }
    }
    if (err instanceof BerthError) {
      if (['image/digest-mismatch', 'image/size-mismatch', 'image/unsafe-layer', 'image/invalid-tar', 'image/invalid-layer', 'image/unpack-failed'].includes(err.code)) keepPartial = false;
      throw err;
    }
    const how = sourceFailed ? `the download broke off after ${compressed.bytes} bytes: ` : '';
    throw new BerthError('image/layer-failed', `${o.what}: ${how}${(err as Error).message}`, { cause: err });
  } finally {
    await fh.close().catch(() => undefined);
    if (keepPartial && !done && o.partialPath) await rename(tmpBlob, o.partialPath).catch(() => undefined);
    else if (done && o.partialPath) await rm(o.partialPath, { force: true });
    await rm(tmpBlob, { force: true });
    await rm(tmpLayer, { recursive: true, force: true });
  }
}
