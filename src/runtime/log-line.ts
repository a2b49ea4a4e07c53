// One line of the shim's JSON-lines log: {"time":"…ns Z","stream":"stdout"|"stderr","log":"text"}.
import type { LogLine } from './types.js';

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
