// Reading a file that untrusted content names: a regular file only (a FIFO or a device is
// never opened for reading: `-> /dev/zero` cannot hang us), and never more than `max` bytes.
import { BerthError } from '../../errors.js';
import type { SafeDir } from './dir.js';
const { closeSync, readSync } = process.getBuiltinModule('node:fs');

export function readCapped(dir: SafeDir, name: string, max: number, what: string): Buffer {
  const { fd, stat } = dir.openRegular(name, what);
  try {
    if (stat.size > max) throw tooLarge(what, max);
    const buf = Buffer.alloc(Math.min(stat.size, max) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0;) n += r;
    if (n > max) throw tooLarge(what, max);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(what: string, max: number): BerthError {
  return new BerthError('fs/too-large', `${what} is larger than ${max} bytes; refused`);
}
