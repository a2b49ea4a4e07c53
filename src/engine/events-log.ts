/**
 * Engine events of a project appended to projects/<name>/events.jsonl (the supervisor's
 * restarts and health changes included), so `berth events` can follow them from any process.
 */
import { join } from 'node:path';
import type { EngineEvent, EventSink } from '../api/index.js';
const { appendFileSync, mkdirSync, readFileSync, statSync, openSync, readSync, closeSync } = process.getBuiltinModule('node:fs');

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

export function readAllEvents(projectDirPath: string): EngineEvent[] {
  try {
    return readFileSync(eventsFile(projectDirPath), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EngineEvent);
  } catch {
    return [];
  }
}
