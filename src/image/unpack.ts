// Applies one uncompressed layer tar to an empty directory, in overlay's format, through
// native/unpack (berth-unpack): that program owns every unpack rule (no absolute names, no
// `..`, never through a symlink, hard links only inside the layer, whiteouts and opaque
// dirs, owners, modes, xattrs, times; see native/unpack/main.c). This side streams the
// bytes into its stdin (it runs on the other core, fd-relative syscalls instead of one Node
// fs call each; a gzip'd layer it inflates and hashes itself on a second thread), hands it
// the destination as fd 3, and turns its one-line report into the tar's digest or a
// BerthError. Streams: memory stays flat.
// A berth-unpack built without zlib's or OpenSSL's headers (`--capabilities` says what it
// does itself) gets the tar already inflated (gunzip.ts, as berth-unpack inflates) and hashed
// (node:crypto) here: the same digests, the same typed errors, the same unpack rules (its
// own), only slower.
import type { ChildProcess } from 'node:child_process';
import type { Hash } from 'node:crypto';
import { BerthError } from '../errors.js';
import { trace } from '../util/trace.js';
import { gunzip } from './gunzip.js';
import { nativeHelperPath } from './layer-ops.js';
import type { Digest } from './types.js';
const { execFile, spawn } = process.getBuiltinModule('node:child_process');
const { createHash } = process.getBuiltinModule('node:crypto');
const { closeSync, constants, openSync } = process.getBuiltinModule('node:fs');

/** What berth-unpack can do beside unpacking: inflate gzip (zlib), hash the tar (libcrypto). */
export type UnpackCapability = 'gunzip' | 'sha256';
const CAPABILITIES: readonly string[] = ['gunzip', 'sha256'] satisfies UnpackCapability[];

const asked = new Map<string, Promise<ReadonlySet<UnpackCapability>>>();

/** What this machine's berth-unpack does itself (asked once per process); none when it cannot say. */
export function unpackCapabilities(): Promise<ReadonlySet<UnpackCapability>> {
  const path = nativeHelperPath('berth-unpack');
  let can = asked.get(path);
  if (!can) {
    can = new Promise((resolve) => {
      execFile(path, ['--capabilities'], { encoding: 'utf8' }, (err, out) => {
        const words = err ? [] : out.trim().split(/\s+/);
        resolve(new Set(words.filter((w) => CAPABILITIES.includes(w)) as UnpackCapability[]));
      });
    });
    asked.set(path, can);
  }
  return can;
}

export interface UnpackOptions {
  /** Names the image and layer in errors: `image busybox:1.36 layer sha256:...`. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  /** The stream is a gzip'd tar: berth-unpack inflates it (on its own thread), or Node does when it cannot. */
  readonly gunzip?: boolean;
  /** What berth-unpack is taken to do itself; default: what it says. Tests force Node's part with fewer. */
  readonly capabilities?: ReadonlySet<UnpackCapability>;
}

export interface Unpacked {
  /** Bytes of file content written. */
  readonly size: number;
  /** sha256 of the (uncompressed) tar: the layer's diff id. */
  readonly digest: Digest;
}

const text = (hex: string | undefined): string => Buffer.from(hex ?? '', 'hex').toString('utf8');

/** berth-unpack's report line -> the size unpacked and the tar's digest (undefined: `-`, it did not hash), or the error it stands for. */
export function parseReport(what: string, line: string, ended: string): { size: number; digest: Digest | undefined } | BerthError {
  const [kind, a, b, c, d] = line.split(' ');
  if (kind === 'ok' && /^\d+$/.test(a ?? '') && /^(sha256:[0-9a-f]{64}|-)$/.test(b ?? '')) {
    trace(`unpack: ${what}: ${a} bytes, berth-unpack cpu user ${Number(c) / 1000} ms, sys ${Number(d) / 1000} ms`);
    return { size: Number(a), digest: b === '-' ? undefined : (b as Digest) };
  }
  if (kind === 'R') {
    const entry = text(a);
    return new BerthError('image/unsafe-layer', `${what}: tar entry "${entry}" ${text(b)}; refused`, {
      hint: 'the image contains a hostile or broken layer; nothing outside the layer directory was written',
      details: { entry },
    });
  }
  if (kind === 'T') return new BerthError('image/invalid-tar', text(a));
  if (kind === 'Z') return new BerthError('image/invalid-layer', `cannot decompress gzip layer: ${text(a)}`);
  if (kind === 'F') {
    const entry = text(a);
    return new BerthError('image/unpack-failed', `${what}: ${entry ? `tar entry "${entry}"` : 'finishing the layer'}: ${text(b)}`);
  }
  return new BerthError('image/unpack-failed', `${what}: the unpacker ${ended} without a report`);
}

async function* hashing(src: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of src) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Reads the whole tar stream (so trailing bytes still reach the caller's digest). */
export async function unpackLayer(tar: AsyncIterable<Buffer>, dest: string, o: UnpackOptions): Promise<Unpacked> {
  o.signal?.throwIfAborted();
  const can = o.capabilities ?? (await unpackCapabilities());
  // berth-unpack inflates only when it also hashes what it inflated (the diff id); else Node does both
  const nativeGunzip = o.gunzip === true && can.has('gunzip') && can.has('sha256');
  const inflateHere = o.gunzip === true && !nativeGunzip;
  const hash = can.has('sha256') ? undefined : createHash('sha256');
  if (inflateHere) tar = gunzip(tar);
  if (hash) tar = hashing(tar, hash);
  if (inflateHere || hash) trace(`unpack: ${o.what}: ${inflateHere ? 'inflated and ' : ''}hashed in Node (berth-unpack can: ${[...can].join(' ') || 'neither'})`);
  const dir = openSync(dest, constants.O_RDONLY | constants.O_DIRECTORY);
  let child: ChildProcess;
  try {
    child = spawn(nativeHelperPath('berth-unpack'), nativeGunzip ? ['--gunzip'] : [], { stdio: ['pipe', 'pipe', 'pipe', dir] });
  } finally {
    closeSync(dir);
  }
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-500)));
  child.stdin!.on('error', () => undefined); // EPIPE once it has reported a refusal: its report says why
  let exited = false;
  let wake: (() => void) | undefined;
  const ended = new Promise<string>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      wake?.();
      resolve(signal ? `was killed by ${signal}` : `exited with ${code}${err.trim() ? ` (${err.trim().split('\n')[0]})` : ''}`);
    });
    child.on('error', (e) => {
      exited = true;
      wake?.();
      resolve(`could not start (${e.message})`);
    });
  });
  const onAbort = (): void => void child.kill('SIGKILL');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // iterated by hand: stopping early (a refusal) must not close the caller's stream
    const it = tar[Symbol.asyncIterator]();
    while (!exited) {
      const r = await it.next();
      if (r.done || exited) break;
      o.signal?.throwIfAborted();
      if (!child.stdin!.write(r.value)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          child.stdin!.once('drain', resolve);
        }).finally(() => child.stdin!.removeListener('drain', wake!));
      }
    }
    child.stdin!.end();
    const how = await ended;
    o.signal?.throwIfAborted();
    const result = parseReport(o.what, out.trim(), how);
    if (result instanceof BerthError) throw result;
    const digest = hash ? (`sha256:${hash.digest('hex')}` as Digest) : result.digest;
    if (!digest) throw new BerthError('image/unpack-failed', `${o.what}: the unpacker reported no digest of the tar`);
    return { size: result.size, digest };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (!exited) child.kill('SIGKILL');
  }
}
