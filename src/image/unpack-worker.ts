// Worker thread entry of unpack-off-thread.ts: unpacks the tar bytes the main thread posts
// (an ArrayBuffer per message, null at the end) with unpackLayer, the same code and rules as
// on the main thread, and acknowledges consumed bytes (flow control). Posts
// {done: size} or {error: {code, message, hint, details}}.
import { BerthError } from '../errors.js';
import { unpackLayer } from './unpack.js';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');

const port = parentPort!;
const queue: (Buffer | null)[] = [];
let wake: (() => void) | undefined;
port.on('message', (m: ArrayBuffer | null) => {
  queue.push(m === null ? null : Buffer.from(m));
  wake?.();
});

async function* chunks(): AsyncGenerator<Buffer> {
  for (;;) {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const c = queue.shift()!;
    if (c === null) return;
    yield c;
    port.postMessage({ consumed: c.length });
  }
}

const { dest, what } = workerData as { dest: string; what: string };
try {
  const r = await unpackLayer(chunks(), dest, { what });
  port.postMessage({ done: r.size });
} catch (err) {
  const e = err instanceof BerthError ? err : new BerthError('image/unpack-failed', `${what}: ${(err as Error).message}`);
  port.postMessage({ error: { code: e.code, message: e.message, hint: e.hint, details: e.data } });
}
port.close();
