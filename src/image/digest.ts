// Digests: hashing transforms and checks. Every blob's digest is verified before it is used.
import type { Hash } from 'node:crypto';
import type { TransformCallback } from 'node:stream';
import { BerthError } from '../errors.js';
import type { Digest } from './types.js';
const { createHash } = process.getBuiltinModule('node:crypto');
const { Transform } = process.getBuiltinModule('node:stream');

export function sha256Of(data: Buffer | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}` as Digest;
}

export function hexOf(d: Digest): string {
  return d.slice('sha256:'.length);
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  readonly onBytes: ((n: number) => void) | undefined;
  constructor(onBytes?: (n: number) => void) {
    super();
    this.onBytes = onBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    cb(null, chunk);
  }
  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}` as Digest;
  }
}

export function checkDigest(what: string, expected: Digest, actual: Digest): void {
  if (expected !== actual) {
    throw new BerthError('image/digest-mismatch', `${what}: digest mismatch: expected ${expected}, got ${actual}`, {
      hint: 'the registry or archive served corrupt or tampered content; nothing of it was kept',
      details: { expected, actual },
    });
  }
}

export function assertSha256(what: string, d: unknown): Digest {
  if (typeof d !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d)) {
    throw new BerthError('image/invalid-digest', `${what}: unsupported or malformed digest "${String(d)}"`);
  }
  return d as Digest;
}
