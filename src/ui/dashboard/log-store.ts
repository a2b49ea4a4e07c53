/**
 * The log pane's lines: per service a bounded buffer (the newest `perService` lines), every
 * line numbered in arrival order so the merged view interleaves services as they wrote.
 * Lines are stored sanitized (no escape sequences or control characters: they cannot move
 * the cursor or recolour the screen). Views are read from the newest end, so a frame costs
 * what it shows, not what is stored.
 */
import type { LogLine } from '../../api/index.js';
import { sanitize } from './format.js';

export interface StoredLine {
  readonly seq: number;
  readonly service: string;
  /** `web-1` (service and replica), or `watch` for berth's own lines. */
  readonly prefix: string;
  readonly text: string;
  readonly stream: 'stdout' | 'stderr' | 'berth';
  /** A service's line: its container and time (ms), which place it in the log files. */
  readonly container?: string;
  readonly time?: number;
}

export interface LogQuery {
  /** Only this service (undefined: all). */
  readonly service?: string;
  /** Only lines containing this text (case-insensitive; empty or undefined: all). */
  readonly search?: string;
}

export class LogStore {
  readonly #perService: number;
  readonly #buffers = new Map<string, StoredLine[]>();
  /** Services whose oldest lines were dropped (only the log files have them now). */
  readonly #cut = new Set<string>();
  #seq = 0;
  #dropped = 0;

  constructor(perService = 10_000) {
    this.#perService = perService;
  }

  /** Lines dropped from memory so far (the oldest of a service over its bound). */
  get dropped(): number {
    return this.#dropped;
  }

  get size(): number {
    let n = 0;
    for (const b of this.#buffers.values()) n += b.length;
    return n;
  }

  add(line: LogLine): void {
    this.#push(storedLine(line, this.#seq++));
  }

  /** berth's own line (watch: synced, restarted) shown beside the services' lines. */
  note(text: string, service = 'berth'): void {
    this.#push({ seq: this.#seq++, service, prefix: service, text: sanitize(text), stream: 'berth' });
  }

  #push(l: StoredLine): void {
    let buf = this.#buffers.get(l.service);
    if (!buf) this.#buffers.set(l.service, (buf = []));
    buf.push(l);
    // drop in chunks: Array#shift per line would be O(n) each
    if (buf.length > this.#perService + 512) {
      const extra = buf.length - this.#perService;
      buf.splice(0, extra);
      this.#dropped += extra;
      if (l.stream !== 'berth') this.#cut.add(l.service);
    }
  }

  /**
   * Up to `count` matching lines, newest last, ending `skip` matching lines before the
   * newest. Also returns how many matched in total up to the scan's end (for "n matches").
   */
  tail(query: LogQuery, count: number, skip = 0): StoredLine[] {
    const horizon = this.horizon(query);
    const match = matcher(query);
    const sources = this.#sources(query);
    const idx = sources.map((b) => b.length - 1);
    const out: StoredLine[] = [];
    let skipped = 0;
    while (out.length < count) {
      // the newest remaining line over all sources
      let best = -1;
      for (let i = 0; i < sources.length; i++) {
        const j = idx[i]!;
        if (j >= 0 && (best < 0 || sources[i]![j]!.seq > sources[best]![idx[best]!]!.seq)) best = i;
      }
      if (best < 0) break;
      const l = sources[best]![idx[best]!]!;
      if (l.seq < horizon) break;
      idx[best]!--;
      if (!match(l)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(l);
    }
    return out.reverse();
  }

  /** How many stored lines the view holds (tail's lines, all pages): for the search's count and where the log files take over. */
  count(query: LogQuery): number {
    const match = matcher(query);
    const horizon = this.horizon(query);
    let n = 0;
    for (const buf of this.#sources(query)) for (const l of buf) if (l.seq >= horizon && match(l)) n++;
    return n;
  }

  /** The buffers a view reads: a service's own with berth's notes, or all. */
  #sources(query: LogQuery): StoredLine[][] {
    return query.service !== undefined ? [...this.#buffers].filter(([s]) => s === query.service || s === 'berth' || s === 'watch').map(([, b]) => b) : [...this.#buffers.values()];
  }

  /**
   * The oldest line memory holds whole for the view: in the merged view, older than the
   * first kept line of a service that dropped some, the others' lines would show alone.
   */
  horizon(query: LogQuery): number {
    let h = 0;
    for (const service of this.#cut) if (query.service === undefined || query.service === service) h = Math.max(h, this.#buffers.get(service)?.[0]?.seq ?? 0);
    return h;
  }

  /** The services' lines at the oldest time memory shows for the view (where the log files take over); empty: none. */
  boundary(query: LogQuery): StoredLine[] {
    const horizon = this.horizon(query);
    let oldest: number | undefined;
    const lines: StoredLine[] = [];
    for (const [service, buf] of this.#buffers) {
      if (query.service !== undefined && service !== query.service) continue;
      for (const l of buf) {
        if (l.seq < horizon || l.time === undefined) continue;
        if (oldest === undefined || l.time < oldest) {
          oldest = l.time;
          lines.length = 0;
        }
        if (l.time === oldest) lines.push(l);
      }
    }
    return lines;
  }
}

function matcher(query: LogQuery): (l: StoredLine) => boolean {
  const needle = query.search ? query.search.toLowerCase() : undefined;
  return (l) => (l.service === query.service || query.service === undefined || l.stream === 'berth') && (!needle || l.text.toLowerCase().includes(needle));
}

/** A service's line as the store keeps it (sanitized). */
export function storedLine(line: LogLine, seq: number): StoredLine {
  return { seq, service: line.service, prefix: `${line.service}-${line.number}`, text: sanitize(line.text), stream: line.stream, container: line.container, time: line.time };
}
