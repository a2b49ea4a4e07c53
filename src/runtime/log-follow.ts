// Following a growing log file (the shim's JSON lines) from a byte offset.
import { parseLogLine } from './log-line.js';
import type { LogLine } from './types.js';
import { logWaits } from './log-waits.js';
const { openSync, readSync, closeSync, statSync } = process.getBuiltinModule('node:fs');
const { StringDecoder } = process.getBuiltinModule('node:string_decoder');

/**
 * How a follower paces its reads while the file grows: one read of at most `maxRead` bytes,
 * then `everyMs` before the next, so that what the writer writes meanwhile comes as one batch
 * (read on every small write, a follower costs a read, a wake-up and a hand-over per few lines).
 * A follower that has read all there is waits for the next write (`IDLE_MS` at most): a quiet
 * service's line is read as it comes; the pace only batches a file that keeps growing.
 */
export interface FollowPace {
  /** Bytes read at most per step: at most this much is read ahead of the consumer (the file is the buffer). */
  readonly maxRead: number;
  /** The wait after a read before the next. */
  readonly everyMs: number;
  /** Whether a full read (the follower behind) waits too: a screen's does (it skips what it cannot show); a stream's reads on at its consumer's pace (every line is wanted). */
  readonly whenBehind: boolean;
}
/** Every line (plain `up`, `logs -f`): a file that keeps growing is read 40 times a second, a backlog at once. */
export const STREAM_PACE: FollowPace = { maxRead: 1 << 20, everyMs: 25, whenBehind: false };
/** A screen's follower (`skipAfter`): at most ~100 lines per 100 ms, 1000 a second (a screen shows a few dozen). */
export const SCREEN_PACE: FollowPace = { maxRead: 8 << 10, everyMs: 100, whenBehind: true };
/** A follower that has read all there is looks again this often (the container may have exited) or at the file's next write. */
const IDLE_MS = 100;
/** A first skip ahead (no lines read yet to average) counts the lines it passes over up to this size. */
const EXACT_SKIP_BYTES = 4 << 20;

export interface FollowFileOptions {
  /** Bytes already delivered (whole lines) and the inode they came from. */
  readonly offset: number;
  readonly ino: number;
  readonly signal?: AbortSignal | undefined;
  /** True once nothing more will be written (the container exited). */
  readonly ended: () => boolean;
  /** Waits `ms` (a pace after a read; `idle`: all is read, ends early at the file's next write). Default: timers and inotify (`logWaits`); tests: a fake clock. */
  readonly wait?: (ms: number, idle: boolean, size?: number) => Promise<void>;
  /** Bytes read at most per step (default: the pace's, STREAM_PACE or with `skipAfter` SCREEN_PACE). */
  readonly maxRead?: number;
  /**
   * A screen's follower: more than this many bytes behind the file, skip to its newest part,
   * counting the lines (the next line carries `skipped`). Its reads are paced as a screen's
   * (SCREEN_PACE: one read per wait, behind or not), so a service logging flat out costs the
   * reader a bounded share of CPU and the rest is skipped, not parsed.
   */
  readonly skipAfter?: number | undefined;
  /** Read no further than this byte (a read of the log as it is now, not following it). */
  readonly end?: number;
  /** Tests: bytes read from the file so far. */
  readonly stats?: { read: number };
}

/**
 * The lines written after `offset`, as they come: a batch per read (one hand-over per batch:
 * an async generator's costs more than parsing a line). Backpressure: at most `maxRead` bytes
 * are read before their lines are handed out, so a consumer slower than the writer lags behind
 * in the file instead of gathering the backlog in memory (the writer's 1 GB stays on disk).
 * A rotated or replaced file (smaller, or a new inode) is read from its start.
 */
export async function* followLogFile(file: string, options: FollowFileOptions): AsyncGenerator<LogLine[]> {
  // a read of the log as it is now neither skips nor waits
  const following = options.end === undefined;
  const skipAfter = following ? options.skipAfter : undefined;
  const pace = skipAfter !== undefined ? SCREEN_PACE : STREAM_PACE;
  const max = options.maxRead ?? pace.maxRead;
  const waits = options.wait ? undefined : logWaits(file);
  const wait = options.wait ?? waits!.wait;
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
  try {
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
        let got = 0;
        try {
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
        const batch: LogLine[] = [];
        for (const p of parts) {
          const l = parseLogLine(p);
          if (!l) continue;
          if (skipped > 0) {
            batch.push({ ...l, skipped, ...(estimated ? { skippedEstimate: true as const } : {}) });
            skipped = 0;
            estimated = false;
          } else batch.push(l);
        }
        if (batch.length > 0) yield batch;
        // the pace: the writer's lines meanwhile come as the next read's batch
        if (following && (got < max || pace.whenBehind)) await wait(pace.everyMs, false);
        continue;
      }
      if (options.ended() || (options.end !== undefined && offset >= options.end)) {
        // a last line without its newline (cut short): as the shim left it
        const last = rest ? parseLogLine(rest + decoder.end()) : undefined;
        if (last) yield [last];
        return;
      }
      await wait(IDLE_MS, true, now.size);
    }
  } finally {
    waits?.close();
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
