// Following a growing log file (the shim's JSON lines) from a byte offset.
import { parseLogLine } from './log-line.js';
import type { LogLine } from './types.js';
const { openSync, readSync, closeSync, statSync } = process.getBuiltinModule('node:fs');
const { StringDecoder } = process.getBuiltinModule('node:string_decoder');

/** At most this many bytes are read ahead of the consumer: the file is the buffer. */
export const FOLLOW_READ_BYTES = 1 << 20;
/** A screen's follower reads at most this much per poll: ~100 lines, 1000 a second (a screen shows a few dozen). */
export const SCREEN_READ_BYTES = 8 << 10;
/** A first skip ahead (no lines read yet to average) counts the lines it passes over up to this size. */
const EXACT_SKIP_BYTES = 4 << 20;

export interface FollowFileOptions {
  /** Bytes already delivered (whole lines) and the inode they came from. */
  readonly offset: number;
  readonly ino: number;
  readonly signal?: AbortSignal | undefined;
  /** True once nothing more will be written (the container exited). */
  readonly ended: () => boolean;
  /** Waits before polling again (100 ms; tests: at once). */
  readonly wait?: () => Promise<void>;
  /** Bytes read at most per step (default FOLLOW_READ_BYTES; a screen's: SCREEN_READ_BYTES). */
  readonly maxRead?: number;
  /**
   * A screen's follower: more than this many bytes behind the file, skip to its newest part,
   * counting the lines (the next line carries `skipped`). Its reads are also paced (one read of
   * at most `maxRead` bytes per `wait`), so a service logging flat out costs the reader a
   * bounded share of CPU and the rest is skipped, not parsed.
   */
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
  // a screen's follower (not a read of the log as it is now)
  const skipAfter = options.end === undefined ? options.skipAfter : undefined;
  const max = options.maxRead ?? (skipAfter !== undefined ? SCREEN_READ_BYTES : FOLLOW_READ_BYTES);
  const wait = options.wait ?? (() => new Promise<void>((r) => setTimeout(r, 100)));
  let offset = options.offset;
  let ino = options.ino;
  let rest = '';
  // a character cut by a read's end is finished by the next read
  let decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(Math.min(max, 65536));
  let skipped = 0;
  let estimated = false;
  // the lines read so far and their bytes: a skip far behind is counted from their average
  let readLines = 0;
  let readBytes = 0;
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
    if (skipAfter !== undefined && size - offset > skipAfter) {
      // behind by more than a screen can use: on to the newest read's worth. The lines passed
      // over are estimated from the average line read so far (counting them would read every
      // byte a service logging flat out writes); a first skip, with no average yet, counts
      // them when that is cheap, else takes the average of the newest lines
      if (readLines === 0 && size - offset > EXACT_SKIP_BYTES) [readLines, readBytes] = sampleLines(file, buf, size - max, size);
      const to = readLines > 0 ? { offset: lineAfter(file, buf, size - max), lines: 0 } : skipTo(file, buf, offset, size - max);
      if (to.offset > offset) {
        if (readLines > 0) {
          skipped += Math.max(1, Math.round(((to.offset - offset) * readLines) / readBytes));
          estimated = true;
        } else skipped += to.lines;
        offset = to.offset;
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
        readBytes += got;
      } finally {
        closeSync(fd);
      }
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      readLines += parts.length;
      for (const p of parts) {
        const l = parseLogLine(p);
        if (!l) continue;
        if (skipped > 0) {
          yield { ...l, skipped, ...(estimated ? { skippedEstimate: true as const } : {}) };
          skipped = 0;
          estimated = false;
        } else yield l;
      }
      if (skipAfter !== undefined) await wait();
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

/** Lines (newlines) and bytes in [from, to): the average line of a sample. */
function sampleLines(file: string, buf: Buffer, from: number, to: number): [number, number] {
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, Math.min(buf.length, to - from), from);
    let lines = 0;
    for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    return lines > 0 ? [lines, n] : [0, 0];
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the first newline at or after `at` (`at` itself when none is there yet). */
function lineAfter(file: string, buf: Buffer, at: number): number {
  const fd = openSync(file, 'r');
  try {
    for (let from = at; ;) {
      const n = readSync(fd, buf, 0, buf.length, from);
      if (n <= 0) return at;
      const i = buf.subarray(0, n).indexOf(10);
      if (i >= 0) return from + i + 1;
      from += n;
    }
  } finally {
    closeSync(fd);
  }
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
