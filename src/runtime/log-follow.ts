// Following a growing log file (the shim's JSON lines) from a byte offset.
import { parseLogLine } from './log-line.js';
import type { LogLine } from './types.js';
const { openSync, readSync, closeSync, statSync } = process.getBuiltinModule('node:fs');
const { StringDecoder } = process.getBuiltinModule('node:string_decoder');

/** At most this many bytes are read ahead of the consumer: the file is the buffer. */
export const FOLLOW_READ_BYTES = 1 << 20;

export interface FollowFileOptions {
  /** Bytes already delivered (whole lines) and the inode they came from. */
  readonly offset: number;
  readonly ino: number;
  readonly signal?: AbortSignal | undefined;
  /** True once nothing more will be written (the container exited). */
  readonly ended: () => boolean;
  /** Waits before polling again (100 ms; tests: at once). */
  readonly wait?: () => Promise<void>;
  /** Bytes read at most per step (default FOLLOW_READ_BYTES). */
  readonly maxRead?: number;
  /** More than this many bytes behind the file: skip to its newest part, counting the lines (the next line carries `skipped`). */
  readonly skipAfter?: number | undefined;
  /** Read no further than this byte (a read of the log as it is now, not following it). */
  readonly end?: number;
  /** Tests: bytes read from the file so far. */
  readonly stats?: { read: number };
}

/**
 * The lines written after `offset`, as they come. Backpressure: at most `maxRead` bytes are
 * read before their lines are handed out, so a consumer slower than the writer lags behind
 * in the file instead of gathering the backlog in memory (the writer's 1 GB stays on disk).
 * A rotated or replaced file (smaller, or a new inode) is read from its start.
 */
export async function* followLogFile(file: string, options: FollowFileOptions): AsyncGenerator<LogLine> {
  const max = options.maxRead ?? FOLLOW_READ_BYTES;
  const wait = options.wait ?? (() => new Promise<void>((r) => setTimeout(r, 100)));
  let offset = options.offset;
  let ino = options.ino;
  let rest = '';
  // a character cut by a read's end is finished by the next read
  let decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(Math.min(max, 65536));
  let skipped = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    const now = statLog(file);
    const size = Math.min(now.size, options.end ?? Infinity);
    // rotated, or a new file: a restart between two polls (this one never saw the container
    // exited) replaces the log, and its first line may be exactly as long as the old content
    if (now.size < offset || now.ino !== ino) {
      offset = 0;
      rest = '';
      decoder = new StringDecoder('utf8');
      ino = now.ino;
    }
    if (options.skipAfter !== undefined && options.end === undefined && size - offset > options.skipAfter) {
      // behind by more than a screen can use: on to the last newline before the newest half
      const to = skipTo(file, buf, offset, size - Math.floor(options.skipAfter / 2));
      if (to.offset > offset) {
        offset = to.offset;
        skipped += to.lines;
        rest = '';
        decoder = new StringDecoder('utf8');
      }
    }
    if (size > offset) {
      const fd = openSync(file, 'r');
      try {
        let got = 0;
        let n: number;
        while (got < max && offset < size && (n = readSync(fd, buf, 0, Math.min(buf.length, max - got, size - offset), offset)) > 0) {
          offset += n;
          got += n;
          rest += decoder.write(buf.subarray(0, n));
        }
        if (options.stats) options.stats.read += got;
      } finally {
        closeSync(fd);
      }
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        const l = parseLogLine(p);
        if (!l) continue;
        if (skipped > 0) {
          yield { ...l, skipped };
          skipped = 0;
        } else yield l;
      }
      continue;
    }
    if (options.ended() || (options.end !== undefined && offset >= options.end)) {
      // a last line without its newline (cut short): as the shim left it
      const last = rest ? parseLogLine(rest + decoder.end()) : undefined;
      if (last) yield last;
      return;
    }
    await wait();
  }
}

/** The offset after the last newline in [from, to) and how many lines end there (counted, not parsed). */
function skipTo(file: string, buf: Buffer, from: number, to: number): { offset: number; lines: number } {
  const fd = openSync(file, 'r');
  let lines = 0;
  let after = from;
  try {
    for (let at = from; at < to;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
      if (n <= 0) break;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) {
        lines++;
        after = at + i + 1;
      }
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return { offset: after, lines };
}

/** The log file's size and inode (zeros when it is not there). */
export function statLog(file: string): { size: number; ino: number } {
  try {
    const st = statSync(file);
    return { size: st.size, ino: st.ino };
  } catch {
    return { size: 0, ino: 0 };
  }
}
