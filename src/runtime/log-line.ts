// One line of the shim's JSON-lines log: {"time":"…ns Z","stream":"stdout"|"stderr","log":"text"}.
import type { LogLine } from './types.js';

const HEAD = '{"time":"';
const STDOUT = '","stream":"stdout","log":"';
const STDERR = '","stream":"stderr","log":"';
const TAIL = '"}';

/** One line of the log file; undefined when it is not one of the shim's. */
export function parseLogLine(line: string): LogLine | undefined {
  return shimLine(line) ?? jsonLine(line);
}

/**
 * The shim's own layout (native/shim/log.c: these keys in this order, the text escaped) read
 * without JSON.parse when the text needs no unescaping but its final `\n`: most lines of a
 * busy service; half the cost of parsing the line as JSON. Anything else: undefined.
 */
function shimLine(line: string): LogLine | undefined {
  if (!line.startsWith(HEAD) || !line.endsWith(TAIL)) return undefined;
  const t = line.indexOf('"', HEAD.length);
  const stream = line.startsWith(STDOUT, t) ? 'stdout' : line.startsWith(STDERR, t) ? 'stderr' : undefined;
  if (!stream) return undefined;
  const from = t + STDOUT.length;
  const to = line.length - TAIL.length;
  // an escape (or a quote or control character, which the shim escapes) only as the final `\n`
  const odd = SPECIAL.exec(line.slice(from, to));
  if (odd && (odd.index !== to - from - 2 || line.charCodeAt(to - 1) !== 110) /* n */) return undefined;
  const time = line.slice(HEAD.length, t);
  if (time.includes('\\')) return undefined;
  return { time, stream, text: odd ? `${line.slice(from, to - 2)}\n` : line.slice(from, to) };
}
const SPECIAL = /["\\\x00-\x1f]/;

function jsonLine(line: string): LogLine | undefined {
  try {
    const o = JSON.parse(line) as { time?: unknown; stream?: unknown; log?: unknown };
    if (typeof o.time !== 'string' || typeof o.log !== 'string') return undefined;
    return { time: o.time, stream: o.stream === 'stderr' ? 'stderr' : 'stdout', text: o.log };
  } catch {
    return undefined;
  }
}
