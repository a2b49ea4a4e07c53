// The shim's JSON-lines log: {"time":"…ns Z","stream":"stdout"|"stderr","log":"text"}.
import { containerPaths } from './layout.js';
import { containerStateSync, requireStored } from './state.js';
import type { LogLine, LogOptions, RuntimeContext } from './types.js';
const { existsSync, openSync, readSync, closeSync, readFileSync, statSync } = process.getBuiltinModule('node:fs');

/** One line of the log file; undefined when it is not one of the shim's. */
export function parseLogLine(line: string): LogLine | undefined {
  try {
    const o = JSON.parse(line) as { time?: unknown; stream?: unknown; log?: unknown };
    if (typeof o.time !== 'string' || typeof o.log !== 'string') return undefined;
    return { time: o.time, stream: o.stream === 'stderr' ? 'stderr' : 'stdout', text: o.log };
  } catch {
    return undefined;
  }
}

export async function* readLogs(rt: RuntimeContext, id: string, opts: LogOptions = {}): AsyncGenerator<LogLine> {
  requireStored(rt, id);
  const file = containerPaths(rt, id).log;
  const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const stat = (): { size: number; ino: number } => {
    try {
      const st = statSync(file);
      return { size: st.size, ino: st.ino };
    } catch {
      return { size: 0, ino: 0 };
    }
  };
  // the file read first, then its inode: a follower goes on from exactly the bytes read (whole
  // lines), so a line written meanwhile is not skipped
  const main = read(file);
  const { ino: firstIno } = stat();
  const whole = main.slice(0, main.lastIndexOf('\n') + 1);
  // rotated files, oldest first: <log>.N .. <log>.1 (as many as logging max-file keeps)
  let rotated = '';
  for (let i = 1; existsSync(`${file}.${i}`); i++) rotated = read(`${file}.${i}`) + rotated;
  const text = rotated + (opts.follow ? whole : main);
  let lines = text.split('\n').filter(Boolean).map(parseLogLine).filter((l): l is LogLine => l !== undefined);
  if (opts.since) lines = lines.filter((l) => l.time >= opts.since!);
  if (opts.tail !== undefined && opts.tail >= 0) lines = lines.slice(Math.max(0, lines.length - opts.tail));
  yield* lines;
  if (!opts.follow) return;
  let offset = Buffer.byteLength(whole);
  let ino = firstIno;
  let rest = '';
  const buf = Buffer.alloc(65536);
  for (;;) {
    if (opts.signal?.aborted) return;
    const now = stat();
    const size = now.size;
    // rotated, or a new file: a restart between two polls (this one never saw the container
    // exited) replaces the log, and its first line may be exactly as long as the old content
    if (size < offset || now.ino !== ino) {
      offset = 0;
      rest = '';
      ino = now.ino;
    }
    if (size > offset) {
      const fd = openSync(file, 'r');
      try {
        let n: number;
        while ((n = readSync(fd, buf, 0, buf.length, offset)) > 0) {
          offset += n;
          rest += buf.subarray(0, n).toString();
        }
      } finally {
        closeSync(fd);
      }
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        const l = parseLogLine(p);
        if (l) yield l;
      }
      continue;
    }
    const st = containerStateSync(rt, id);
    if (!st || st.status === 'exited') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
