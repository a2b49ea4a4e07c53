// The shim's JSON-lines log: {"time":"…ns Z","stream":"stdout"|"stderr","log":"text"}.
import { containerPaths } from './layout.js';
import { containerStateSync, requireStored } from './state.js';
import type { LogLine, LogOptions, RuntimeContext } from './types.js';
import { parseLogLine } from './log-line.js';
import { followLogFile, statLog as stat } from './log-follow.js';
import { readLogWindow } from './log-window.js';
export { parseLogLine };
const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');

/** The log's lines one at a time (`container logs`, a build step's output); the engine takes them in batches (`readLogBatches`). */
export async function* readLogs(rt: RuntimeContext, id: string, opts: LogOptions = {}): AsyncGenerator<LogLine> {
  for await (const batch of readLogBatches(rt, id, opts)) yield* batch;
}

/** The log's lines a batch at a time: a follower's read, the rotated files', a page. */
export async function* readLogBatches(rt: RuntimeContext, id: string, opts: LogOptions = {}): AsyncGenerator<readonly LogLine[]> {
  requireStored(rt, id);
  const file = containerPaths(rt, id).log;
  const ended = (): boolean => {
    const st = containerStateSync(rt, id);
    return !st || st.status === 'exited';
  };
  const since = (lines: readonly LogLine[]): readonly LogLine[] => (opts.since ? lines.filter((l) => l.time >= opts.since!) : lines);
  if (!opts.follow && ((opts.tail !== undefined && opts.tail >= 0) || opts.head !== undefined)) {
    // a page of the files (a scroll-back, `logs --tail`): sought, not read whole
    yield readLogWindow([...rotatedLogs(file), file], { since: opts.since, before: opts.before, ...(opts.tail !== undefined && opts.tail >= 0 ? { tail: opts.tail } : { head: opts.head }) });
    return;
  }
  if (opts.tail === undefined || opts.tail < 0) {
    // everything: rotated files (each bounded by logging max-size) whole, oldest first, then the
    // live file streamed a bounded read at a time (a fast service's log may be gigabytes)
    for (const f of rotatedLogs(file)) yield since(parseLines(read(f)));
    const now = opts.follow ? {} : { end: stat(file).size };
    for await (const b of followLogFile(file, { offset: 0, ino: 0, signal: opts.signal, ended: opts.follow ? ended : () => true, skipAfter: opts.skipAfter, ...now })) yield since(b);
    return;
  }
  // following from the last N: the file read first, then its inode: a follower goes on from exactly the bytes
  // read (whole lines), so a line written meanwhile is not skipped
  const main = read(file);
  const { ino: firstIno } = stat(file);
  const whole = main.slice(0, main.lastIndexOf('\n') + 1);
  // rotated files, oldest first: <log>.N .. <log>.1 (as many as logging max-file keeps)
  const rotated = rotatedLogs(file).map(read).join('');
  const lines = since(parseLines(rotated + whole));
  yield lines.slice(Math.max(0, lines.length - opts.tail));
  yield* followLogFile(file, { offset: Buffer.byteLength(whole), ino: firstIno, signal: opts.signal, ended, skipAfter: opts.skipAfter });
}

/** The rotated files beside a log, oldest first: <log>.N .. <log>.1 (as many as logging max-file keeps). */
function rotatedLogs(file: string): string[] {
  const out: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) out.unshift(`${file}.${i}`);
  return out;
}

const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');

function parseLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(parseLogLine)
    .filter((l): l is LogLine => l !== undefined);
}
