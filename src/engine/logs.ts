/**
 * Log following for `logs` and attached `up`: one follower per container name, which
 * re-opens the log when the container is restarted (the supervisor re-creates it with the
 * same id) and picks up replicas that appear later.
 */
import type { LogSink } from '../api/index.js';
import { Labels } from '../api/index.js';
import type { EngineContext } from './context.js';
import type { ContainerState, LogLine as RtLogLine, LogOptions as RtLogOptions } from '../runtime/index.js';
import { archivedLogs } from './log-archive.js';
import { storeFor } from './observe.js';
import { compareText } from '../util/compare.js';
import { sleep } from '../util/sleep.js';
import { isoMsReader } from '../util/iso-ms.js';

export interface FollowOptions {
  readonly follow: boolean;
  readonly tail?: number;
  /** ms since epoch */
  readonly since?: number;
  readonly until?: number;
  /** Only the first N lines (in the window) of each container. */
  readonly head?: number;
  /** Following: skip ahead when more than this many bytes behind (for a screen). */
  readonly skipAfter?: number;
  readonly signal: AbortSignal;
}

/** Lines written just before a container's exit that its follower may not have seen: at most this many are picked up. */
const STRAGGLERS = 100_000;

/** Follows one container (by name) until the signal aborts or, without follow, its log ends. */
export async function followContainer(ctx: EngineContext, initial: ContainerState, options: FollowOptions & { history?: readonly RtLogLine[]; untilExit?: boolean }, onLine: LogSink): Promise<void> {
  const service = initial.labels[Labels.service] ?? initial.name;
  const number = Number(initial.labels[Labels.containerNumber] ?? '1');
  const windowed = options.since !== undefined || options.until !== undefined;
  const inWindow = (l: RtLogLine): boolean => {
    if (!windowed) return true;
    const t = Date.parse(l.time);
    return (options.since === undefined || t >= options.since) && (options.until === undefined || t <= options.until);
  };
  let handed = 0;
  const timeMs = isoMsReader();
  const deliver = (l: RtLogLine): void => {
    if (options.head !== undefined && handed++ >= options.head) return;
    onLine({
      service,
      container: initial.name,
      number,
      stream: l.stream,
      time: timeMs(l.time),
      text: withoutNewline(l.text),
      ...(l.skipped ? { skipped: l.skipped, ...(l.skippedEstimate ? { skippedEstimate: true as const } : {}) } : {}),
    });
  };
  // earlier runs first (restarts); --tail counts over earlier and current runs together
  const history = (options.history ?? []).filter(inWindow);
  if (!options.follow && (options.tail !== undefined || options.head !== undefined)) {
    // a page of the files (`logs --tail`, a dashboard's scroll-back): the runtime seeks to it
    const current: RtLogLine[] = [];
    try {
      for await (const batch of ctx.ports.runtime.logs(initial.id, { follow: false, ...windowOf(options) })) for (const l of batch) current.push(l);
    } catch {
      // gone meanwhile
    }
    const all = [...history, ...current.filter(inWindow)];
    for (const l of options.tail !== undefined ? all.slice(Math.max(0, all.length - options.tail)) : all) deliver(l);
    return;
  }
  let skip = 0; // lines of the current run already delivered by the tail
  if (options.tail !== undefined) {
    const current: RtLogLine[] = [];
    try {
      for await (const batch of ctx.ports.runtime.logs(initial.id, { follow: false })) for (const l of batch) current.push(l);
    } catch {
      // gone meanwhile
    }
    skip = current.length;
    const all = [...history, ...current.filter(inWindow)];
    for (const l of all.slice(Math.max(0, all.length - options.tail))) deliver(l);
  } else for (const l of history) deliver(l);
  let first = true;
  let lastStart = initial.startedAt;
  let id = initial.id;
  // newest line delivered (ISO times with ns compare as strings); kept across runs: a restart
  // quicker than the re-read below lets that re-read deliver the new run's first lines, which
  // the new run's stream then must not deliver again
  let last: string | undefined;
  let sinceYield = 0;
  for (;;) {
    let delivered = first ? undefined : last;
    try {
      for await (const batch of ctx.ports.runtime.logs(id, { follow: options.follow, signal: options.signal, skipAfter: options.skipAfter })) {
        for (const got of batch) {
          let l = got;
          if (delivered !== undefined) {
            if (l.time <= delivered) continue;
            delivered = undefined;
          }
          // lines the runtime skipped (a screen far behind) include ones the tail gave already
          if (first && skip > 0 && l.skipped) {
            const given = Math.min(skip, l.skipped);
            skip -= given;
            l = { ...l, skipped: l.skipped - given };
          }
          if (first && skip > 0) {
            skip--;
            last = l.time;
            continue;
          }
          if (!inWindow(l)) continue;
          deliver(l);
          last = l.time;
          // a backlog is read as one run of microtasks: let timers and input (a dashboard's
          // keys and frames) in between
          if (++sinceYield >= 256) {
            sinceYield = 0;
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
      }
      if (options.follow && !options.signal.aborted) {
        // the stream ends when the container exits; lines the monitor wrote just before
        // its exit may land after that: one bounded re-read picks them up, from the newest line
        // delivered on (sought, not the whole log: a service logging flat out leaves gigabytes)
        await sleep(150, options.signal);
        for await (const batch of ctx.ports.runtime.logs(id, { follow: false, ...(last !== undefined ? { since: last, head: STRAGGLERS } : {}) })) {
          for (const l of batch) {
            if (inWindow(l) && (last === undefined || l.time > last)) {
              deliver(l);
              last = l.time;
            }
          }
        }
      }
    } catch {
      if (options.signal.aborted) return;
    }
    first = false;
    if (!options.follow || options.signal.aborted || options.untilExit) return;
    // wait for a restart (new startedAt) or a re-created container of the same name
    for (;;) {
      await sleep(200, options.signal);
      if (options.signal.aborted) return;
      const states = await ctx.ports.runtime.list().catch(() => [] as const);
      const now = states.find((s) => s.name === initial.name);
      if (!now) continue;
      if (now.id !== id || (now.status === 'running' && now.startedAt !== lastStart)) {
        id = now.id;
        lastStart = now.startedAt;
        break;
      }
    }
  }
}

/** A log line's text without the newline that ended it (`\n` or `\r\n`). */
function withoutNewline(text: string): string {
  if (!text.endsWith('\n')) return text;
  return text.slice(0, text.endsWith('\r\n') ? -2 : -1);
}

/** The runtime's read of a window in ms (inclusive) of the files: ISO prefixes, which order before every line of their millisecond. */
export function windowOf(options: Pick<FollowOptions, 'since' | 'until' | 'tail' | 'head'>): RtLogOptions {
  const at = (ms: number): string => new Date(ms).toISOString().slice(0, -1);
  return {
    ...(options.since !== undefined ? { since: at(options.since) } : {}),
    ...(options.until !== undefined ? { before: at(options.until + 1) } : {}),
    ...(options.tail !== undefined ? { tail: options.tail } : options.head !== undefined ? { head: options.head } : {}),
  };
}

/**
 * Follows every container of `project` (optionally only `services`), including ones that
 * appear later when `follow` is set. Resolves when all followers end (or on abort).
 */
export async function followProject(
  ctx: EngineContext,
  project: string,
  services: ReadonlySet<string> | undefined,
  options: FollowOptions & { index?: number; oneoff?: boolean },
  onLine: LogSink,
): Promise<void> {
  const following = new Map<string, Promise<void>>();
  const pick = (s: ContainerState): boolean =>
    s.labels[Labels.project] === project &&
    (options.oneoff === true || s.labels[Labels.oneoff] !== 'True') &&
    (!services || services.has(s.labels[Labels.service] ?? '')) &&
    (options.index === undefined || s.labels[Labels.containerNumber] === String(options.index));
  const scan = async (): Promise<void> => {
    const states = (await ctx.ports.runtime.list()).filter(pick).sort((a, b) => compareText(a.name, b.name));
    for (const s of states) {
      if (following.has(s.name)) continue;
      following.set(s.name, followContainer(ctx, s, { ...options, history: archivedLogs(storeFor(ctx, project), s.name) }, onLine));
    }
  };
  await scan();
  if (!options.follow) {
    await Promise.all(following.values());
    return;
  }
  while (!options.signal.aborted) {
    await sleep(500, options.signal);
    if (!options.signal.aborted) await scan().catch(() => undefined);
  }
  await Promise.allSettled(following.values());
}
