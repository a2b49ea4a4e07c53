import { Writable } from 'node:stream';

export function capture(tty = false): { stream: Writable & { isTTY?: boolean; columns?: number }; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (tty) {
    stream.isTTY = true;
    stream.columns = 80;
  }
  return { stream, text: () => buf };
}

/** A stream that records each write (which stream, what text) in the order they came. */
export function recorder(writes: { to: string; text: string }[], to: string) {
  return { write: (text: string) => writes.push({ to, text }) } as unknown as NodeJS.WritableStream;
}
