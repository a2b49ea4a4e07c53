// A window of a container's log files found by seeking, not by reading them whole: the place
// of a time is bisected (the shim writes lines in time order), the last `tail` lines before it
// are read backwards in chunks, the first `head` after it forwards. A page of a scroll-back
// costs the lines it returns (and a few probes), whatever the size of the files.
import { parseLogLine } from './log-line.js';
import type { LogLine } from './types.js';
const { openSync, readSync, closeSync, fstatSync } = process.getBuiltinModule('node:fs');
const { StringDecoder } = process.getBuiltinModule('node:string_decoder');

/** Bytes read at a time (backwards, forwards and per probe). */
export const WINDOW_CHUNK = 64 * 1024;
/** Bytes read per probe of the bisection (a line; longer ones take more reads). */
const PROBE = 4096;

export interface LogWindowOptions {
  /** ISO time: lines at or after (compared as the shim writes them). */
  readonly since?: string | undefined;
  /** ISO time: lines before it. */
  readonly before?: string | undefined;
  /** The last N lines of the window. */
  readonly tail?: number | undefined;
  /** The first N lines of the window (without `tail`). */
  readonly head?: number | undefined;
  /** Tests: bytes read so far. */
  readonly stats?: { read: number };
}

/** One open log file read at byte offsets. */
class LogFile {
  readonly fd: number;
  readonly size: number;
  readonly #stats: { read: number } | undefined;
  readonly #buf = Buffer.alloc(WINDOW_CHUNK);

  constructor(path: string, stats: { read: number } | undefined) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    this.#stats = stats;
  }

  /** Up to WINDOW_CHUNK bytes at `at` (fewer at the end). */
  read(at: number, length = WINDOW_CHUNK): Buffer {
    const n = readSync(this.fd, this.#buf, 0, Math.max(0, Math.min(length, this.#buf.length, this.size - at)), at);
    if (this.#stats) this.#stats.read += n;
    return this.#buf.subarray(0, n);
  }

  /** The first whole line starting at or after `from`: its offset, the offset after it, its text; undefined at the end. */
  lineFrom(from: number): { start: number; next: number; text: string } | undefined {
    let start = from;
    if (from > 0) {
      // the line starts after the newline at or after from - 1
      for (let at = from - 1; ;) {
        const b = this.read(at, PROBE);
        if (b.length === 0) return undefined;
        const i = b.indexOf(10);
        if (i >= 0) {
          start = at + i + 1;
          break;
        }
        at += b.length;
      }
    }
    const parts: Buffer[] = [];
    for (let at = start; ;) {
      const b = this.read(at, PROBE);
      const i = b.indexOf(10);
      if (b.length === 0 || i >= 0) {
        parts.push(Buffer.from(b.subarray(0, Math.max(0, i))));
        const text = Buffer.concat(parts).toString('utf8');
        return b.length === 0 && !text ? undefined : { start, next: b.length === 0 ? at : at + i + 1, text };
      }
      parts.push(Buffer.from(b));
      at += b.length;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The offset of the first line for which `after(time)` holds (the file's size when none): a
 * bisection over byte offsets, each probe one line, then the last stretch line by line.
 */
function place(f: LogFile, after: (time: string) => boolean): number {
  let lo = 0;
  let hi = f.size;
  while (hi - lo > WINDOW_CHUNK) {
    const mid = Math.floor((lo + hi) / 2);
    const l = f.lineFrom(mid);
    if (!l || l.start >= hi) hi = mid;
    else if (after(parseLogLine(l.text)?.time ?? '')) hi = mid;
    else lo = l.next;
  }
  // the last stretch (at most a chunk) from one read, line by line
  for (let at = lo === 0 ? 0 : (f.lineFrom(lo)?.start ?? hi); at < hi;) {
    const b = f.read(at);
    let from = 0;
    for (let i = b.indexOf(10); i >= 0 && at + from < hi; i = b.indexOf(10, from)) {
      if (after(parseLogLine(b.toString('utf8', from, i))?.time ?? '')) return at + from;
      from = i + 1;
    }
    if (from > 0) {
      at += from;
      continue;
    }
    // a line longer than a read (or the last, without its newline)
    const l = f.lineFrom(at);
    if (!l) break;
    if (after(parseLogLine(l.text)?.time ?? '')) return at;
    at = l.next;
  }
  return hi;
}

/** Lines ending at or before `end`, newest first, read backwards a chunk at a time, until `take` returns false. */
function backwards(f: LogFile, end: number, take: (l: LogLine) => boolean): boolean {
  const give = (text: string): boolean => {
    const l = text ? parseLogLine(text) : undefined;
    return !l || take(l);
  };
  // the bytes of a line whose start lies in a chunk not read yet
  let rest = Buffer.alloc(0);
  for (let at = end; at > 0;) {
    const from = Math.max(0, at - WINDOW_CHUNK);
    const chunk = Buffer.concat([f.read(from, at - from), rest]);
    at = from;
    let stop = chunk.length;
    for (let i = stop > 0 ? chunk.lastIndexOf(10, stop - 1) : -1; i >= 0; i = stop > 0 ? chunk.lastIndexOf(10, stop - 1) : -1) {
      if (!give(chunk.toString('utf8', i + 1, stop))) return false;
      stop = i;
    }
    // the file's first line
    if (at === 0) return give(chunk.toString('utf8', 0, stop));
    rest = chunk.subarray(0, stop);
  }
  return true;
}

/** Lines from `start` on, oldest first, read a chunk at a time, until `take` returns false. */
function forwards(f: LogFile, start: number, take: (l: LogLine) => boolean): boolean {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for (let at = start; at < f.size;) {
    const b = f.read(at);
    if (b.length === 0) break;
    at += b.length;
    const parts = (rest + decoder.write(b)).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      const l = parseLogLine(p);
      if (l && !take(l)) return false;
    }
  }
  const last = parseLogLine(rest + decoder.end());
  return last ? take(last) : true;
}

/**
 * The lines of `files` (oldest first: rotated <log>.N .. <log>.1, then the log) in the window,
 * oldest first: with `tail`, the last N before `before` (at or after `since`); else from
 * `since` on up to `before`, the first `head` if given. Times compare as strings (ISO, UTC):
 * `2026-01-01T00:00:00.123` is the start of that millisecond for a line's nanoseconds.
 */
export function readLogWindow(files: readonly string[], options: LogWindowOptions): LogLine[] {
  const { since, before } = options;
  const inside = (l: LogLine): boolean => (since === undefined || l.time >= since) && (before === undefined || l.time < before);
  const out: LogLine[] = [];
  const open = (path: string): LogFile | undefined => {
    try {
      return new LogFile(path, options.stats);
    } catch {
      return undefined; // rotated away meanwhile
    }
  };
  if (options.tail !== undefined) {
    const tail = options.tail;
    if (tail <= 0) return [];
    for (const path of [...files].reverse()) {
      const f = open(path);
      if (!f) continue;
      try {
        const end = before === undefined ? f.size : place(f, (t) => t >= before);
        const more = backwards(f, end, (l) => {
          if (since !== undefined && l.time < since) return false;
          if (inside(l)) out.push(l);
          return out.length < tail;
        });
        if (!more) break;
      } finally {
        f.close();
      }
    }
    return out.reverse();
  }
  const head = options.head ?? Infinity;
  if (head <= 0) return [];
  for (const path of files) {
    const f = open(path);
    if (!f) continue;
    try {
      const start = since === undefined ? 0 : place(f, (t) => t >= since);
      const more = forwards(f, start, (l) => {
        if (before !== undefined && l.time >= before) return false;
        if (inside(l)) out.push(l);
        return out.length < head;
      });
      if (!more) break;
    } finally {
      f.close();
    }
  }
  return out;
}
