// unpackLayer in a worker thread: the tar parse and the file system calls of a big layer run
// on the other core while the main thread downloads, hashes and inflates (libuv's pool). The
// worker runs the very same unpackLayer (unpack.ts: same checks, same refusals); the bytes
// go over as copies, at most FLIGHT_BYTES ahead of the worker. Small layers stay on the main
// thread: starting a worker costs ~20-40 ms.
import { BerthError, type ErrorCode } from '../errors.js';
import { unpackLayer, type UnpackOptions } from './unpack.js';
const { Worker } = process.getBuiltinModule('node:worker_threads');
const { existsSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/** Layers whose compressed size is at least this go to a worker. */
export const OFF_THREAD_MIN_BYTES = 4 << 20;
const FLIGHT_BYTES = 8 << 20;

/** dist/src/image/unpack-worker.js, from dist/src/image/ or from the bundle (dist/bundle/cli/, the same depth). */
function workerPath(): string | undefined {
  const p = join(import.meta.dirname, '..', '..', 'src', 'image', 'unpack-worker.js');
  return existsSync(p) ? p : undefined;
}

type WorkerReply = { consumed: number } | { done: number } | { error: { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } };

/**
 * As unpackLayer (stops reading at the tar's end; the caller drains the rest), with the work
 * in a worker thread when `compressedSize` is big enough and the worker file is there.
 */
export async function unpackLayerOffThread(tar: AsyncIterable<Buffer>, dest: string, o: UnpackOptions & { compressedSize: number }): Promise<{ size: number }> {
  const file = o.compressedSize >= OFF_THREAD_MIN_BYTES ? workerPath() : undefined;
  if (!file) return unpackLayer(tar, dest, o);
  const worker = new Worker(file, { workerData: { dest, what: o.what } });
  let inFlight = 0;
  let resume: (() => void) | undefined;
  let finished = false;
  const result = new Promise<{ size: number }>((resolve, reject) => {
    worker.on('message', (m: WorkerReply) => {
      if ('consumed' in m) {
        inFlight -= m.consumed;
        if (inFlight < FLIGHT_BYTES) resume?.();
        return;
      }
      finished = true;
      resume?.();
      if ('done' in m) resolve({ size: m.done });
      else reject(new BerthError(m.error.code, m.error.message, { ...(m.error.hint ? { hint: m.error.hint } : {}), ...(m.error.details ? { details: m.error.details } : {}) }));
    });
    worker.on('error', (err: Error) => {
      finished = true;
      resume?.();
      reject(new BerthError('image/unpack-failed', `${o.what}: ${err.message}`, { cause: err }));
    });
    worker.on('exit', () => {
      if (!finished) reject(new BerthError('image/unpack-failed', `${o.what}: the unpack worker ended early`));
      finished = true;
      resume?.();
    });
  });
  result.catch(() => undefined); // observed below; an early rejection must not go unhandled meanwhile
  const onAbort = (): void => void worker.terminate();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // iterated by hand: leaving early must not close the caller's stream (it drains the rest for the digest)
    const it = tar[Symbol.asyncIterator]();
    while (!finished) {
      const r = await it.next();
      if (r.done) break;
      o.signal?.throwIfAborted();
      const chunk = r.value;
      // a copy of just these bytes (a chunk may be a view into a bigger pool buffer), moved over
      const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
      inFlight += copy.byteLength;
      worker.postMessage(copy, [copy]);
      while (inFlight >= FLIGHT_BYTES && !finished) await new Promise<void>((r) => (resume = r));
    }
    if (!finished) worker.postMessage(null);
    return await result;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (!finished) await worker.terminate();
  }
}
