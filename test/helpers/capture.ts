// A writable stream that keeps what is written (a command's stdout or stderr in tests).
import { Writable } from 'node:stream';

export function capture(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += String(chunk);
      cb();
    },
  });
  return { stream, text: () => buf };
}
