/**
 * Engine events of a project appended to projects/<name>/events.jsonl (the supervisor's
 * restarts and health changes included), so `berth events` can follow them from any process.
 */
import type { EngineEvent, EventSink } from '../api/index.js';
const { appendFileSync, mkdirSync, readFileSync, statSync, openSync, readSync, closeSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

export function eventsFile(projectDirPath: string): string {
  return join(projectDirPath, 'events.jsonl');
}

export function appendingSink(projectDirPath: string, next?: EventSink): EventSink {
  return (event) => {
    const line = `${JSON.stringify(event)}\n`;
    try {
      appendFileSync(eventsFile(projectDirPath), line);
    } catch {
      // the project dir not made yet, or gone (down); events are best effort
      try {
        mkdirSync(projectDirPath, { recursive: true });
        appendFileSync(eventsFile(projectDirPath), line);
      } catch {
        // unwritable: dropped
      }
    }
    next?.(event);
  };
}

/** Reads events appended after byte `offset`; returns them and the new offset. */
export function readEventsFrom(projectDirPath: string, offset: number): { events: EngineEvent[]; offset: number } {
  const file = eventsFile(projectDirPath);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { events: [], offset };
  }
  if (size < offset) offset = 0;
  if (size === offset) return { events: [], offset };
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    const events = text
      .slice(0, end)
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as EngineEvent];
        } catch {
          return [];
        }
      });
    return { events, offset: offset + Buffer.byteLength(text.slice(0, end)) };
  } finally {
    closeSync(fd);
  }
}

export interface FollowOptions {
  /** Events before this time (ms) are skipped; set: the history is read from the file's start. */
  readonly since?: number;
  /** Events after this time (ms) are skipped. */
  readonly until?: number;
  /** Keep following (default); false: the history only. */
  readonly follow?: boolean;
  readonly accept?: (event: EngineEvent) => boolean;
  readonly onEvent: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
}

/** The pause between two reads of a followed log (a seam: tests append between reads). */
export type Tick = (signal?: AbortSignal) => Promise<void>;

const POLL_MS = 100;
const defaultTick: Tick = () => new Promise((res) => setTimeout(res, POLL_MS));

/**
 * `berth events`: the history (from the start when `since` is set, else none) and the live
 * events in one pass over one byte offset: the history is read up to the end of its last
 * whole line and following goes on from exactly there, so an event appended between the
 * two is neither lost nor shown twice (as the runtime's log follower).
 */
export async function followEvents(projectDirPath: string, o: FollowOptions, tick: Tick = defaultTick): Promise<void> {
  const history = o.since !== undefined || o.follow === false;
  let offset = history ? 0 : readEventsFrom(projectDirPath, 0).offset;
  for (;;) {
    const r = readEventsFrom(projectDirPath, offset);
    offset = r.offset;
    for (const e of r.events) {
      if ((o.since !== undefined && e.time < o.since) || (o.until !== undefined && e.time > o.until)) continue;
      if (!o.accept || o.accept(e)) o.onEvent(e);
    }
    if (o.follow === false || o.signal?.aborted) return;
    await tick(o.signal);
    if (o.signal?.aborted) return;
  }
}

export function readAllEvents(projectDirPath: string): EngineEvent[] {
  try {
    return readFileSync(eventsFile(projectDirPath), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as EngineEvent);
  } catch {
    return [];
  }
}
