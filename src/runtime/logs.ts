// The shim's JSON-lines log: {"time":"…ns Z","stream":"stdout"|"stderr","log":"text"}.
import { containerPaths } from './layout.js';
import { containerStateSync, requireStored } from './state.js';
import type { LogLine, LogOptions, RuntimeContext } from './types.js';
import { parseLogLine } from './log-line.js';
import { followLogFile } from './log-follow.js';
export { parseLogLine };
const { existsSync, readFileSync, statSync } = process.getBuiltinModule('node:fs');

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
  yield* followLogFile(file, {
    offset: Buffer.byteLength(whole),
    ino: firstIno,
    signal: opts.signal,
    ended: () => {
      const st = containerStateSync(rt, id);
      return !st || st.status === 'exited';
    },
  });
}
