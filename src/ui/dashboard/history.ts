/**
 * Scrolling back past memory: a bounded window of older lines read from the log files (the
 * engine's `logs` read with a time cursor), merged by time across containers. The window
 * hangs under the oldest line memory shows for the view (its boundary); paging moves it,
 * reading older or newer lines and dropping those at its far end, so at most `size` lines
 * are held whatever the distance scrolled. Following again (or another view) drops it.
 */
import type { LogLine } from '../../api/index.js';
import { storedLine, type StoredLine } from './log-store.js';

/** A read of the log files: lines in [since, until] (ms, inclusive), the last `tail` or the first `head` of each container. */
export interface HistoryRead {
  readonly service?: string;
  readonly since?: number;
  readonly until?: number;
  readonly tail?: number;
  readonly head?: number;
}
export type HistoryReader = (read: HistoryRead) => Promise<readonly LogLine[]>;

export interface HistorySlice {
  /** Oldest first: the lines `skip`.. `skip + count - 1` older than the boundary that are loaded. */
  readonly lines: readonly StoredLine[];
  /** A read is under way (the slice may be short). */
  readonly loading: boolean;
  /** The files hold nothing older than the window's start. */
  readonly atStart: boolean;
  /** At the start: how many lines older than the boundary the files hold in all. */
  readonly total?: number;
}

const key = (l: StoredLine): string => `${l.container ?? ''}\0${l.time ?? ''}\0${l.text}`;

/** `fetched` without the lines `known` already holds (a cursor's time is inclusive: its own lines come again). */
function without(fetched: StoredLine[], known: readonly StoredLine[]): StoredLine[] {
  const seen = new Map<string, number>();
  for (const l of known) seen.set(key(l), (seen.get(key(l)) ?? 0) + 1);
  return fetched.filter((l) => {
    const n = seen.get(key(l)) ?? 0;
    if (n === 0) return true;
    seen.set(key(l), n - 1);
    return false;
  });
}

const byTime = (a: StoredLine, b: StoredLine): number => (a.time ?? 0) - (b.time ?? 0);
const atTime = (lines: readonly StoredLine[], t: number | undefined): StoredLine[] => lines.filter((l) => l.time === t);

export class LogHistory {
  readonly #read: HistoryReader;
  readonly #size: number;
  #scope: string | undefined;
  /** The boundary: memory's oldest lines for the view (all at one time). */
  #boundary: readonly StoredLine[] = [];
  /** Oldest first. lines[length - 1 - k] is `offset + k` lines older than the boundary. */
  #lines: StoredLine[] = [];
  #offset = 0;
  #atStart = false;
  #loading = false;
  #seq = -1;
  #generation = 0;
  readonly #onLoad: () => void;

  constructor(read: HistoryReader, onLoad: () => void, size = 2000) {
    this.#read = read;
    this.#onLoad = onLoad;
    this.#size = size;
  }

  /** Lines held now (the memory bound under test). */
  get held(): number {
    return this.#lines.length;
  }

  /** Drops the window (following again, or another view). */
  drop(): void {
    this.#generation++;
    this.#scope = undefined;
    this.#boundary = [];
    this.#lines = [];
    this.#offset = 0;
    this.#atStart = false;
    this.#loading = false;
  }

  /**
   * The `count` lines starting `skip` lines older than `boundary` (memory's oldest lines of
   * the view), as far as loaded; starts a read when the window does not cover them.
   */
  slice(service: string | undefined, boundary: readonly StoredLine[], skip: number, count: number): HistorySlice {
    const scope = service ?? '\0all';
    if (scope !== this.#scope || boundary[0]?.time !== this.#boundary[0]?.time) {
      this.drop();
      this.#scope = scope;
      this.#boundary = boundary;
    }
    const newest = this.#offset;
    const oldest = this.#offset + this.#lines.length - 1;
    const wantNewest = skip;
    const wantOldest = skip + count - 1;
    if (!this.#loading && boundary.length > 0) {
      if (wantNewest < newest) this.#load('newer', count);
      else if (wantOldest > oldest && !this.#atStart) this.#load('older', count);
    }
    // lines[len-1-k] is skip offset+k: skip s is index len-1-(s-offset)
    const end = this.#lines.length - 1 - (skip - this.#offset);
    const start = end - count + 1;
    const lines = this.#lines.slice(Math.max(0, start), Math.max(0, end + 1));
    return { lines, loading: this.#loading, atStart: this.#atStart, ...(this.#atStart ? { total: this.#offset + this.#lines.length } : {}) };
  }

  #load(direction: 'older' | 'newer', count: number): void {
    const gen = this.#generation;
    const step = Math.max(200, count * 2);
    const service = this.#scope === '\0all' ? undefined : this.#scope;
    const edge = direction === 'older' ? (this.#lines[0] ? this.#lines : this.#boundary) : this.#lines;
    const edgeTime = direction === 'older' ? edge[0]?.time : edge[edge.length - 1]?.time;
    const known = [...atTime(edge, edgeTime), ...(direction === 'newer' ? this.#boundary : [])];
    const want = step + known.length;
    const read: HistoryRead =
      direction === 'older'
        ? { ...(service !== undefined ? { service } : {}), ...(edgeTime !== undefined ? { until: edgeTime } : {}), tail: want }
        : { ...(service !== undefined ? { service } : {}), ...(edgeTime !== undefined ? { since: edgeTime } : {}), until: this.#boundary[0]?.time ?? 0, head: want };
    this.#loading = true;
    this.#read(read)
      .then((got) => {
        if (gen !== this.#generation) return;
        const fetched = got.map((l) => storedLine(l, this.#seq--)).sort(byTime);
        const fresh = without(fetched, known);
        if (direction === 'older') {
          const add = fresh.slice(Math.max(0, fresh.length - step));
          this.#atStart = got.length < want || add.length === 0;
          this.#lines = [...add, ...this.#lines];
          const over = this.#lines.length - this.#size;
          if (over > 0) {
            this.#lines = this.#lines.slice(0, this.#lines.length - over);
            this.#offset += over;
          }
        } else {
          const add = fresh.slice(0, step);
          this.#lines = [...this.#lines, ...add];
          // fewer than asked: the window reaches the boundary
          this.#offset = got.length < want ? 0 : Math.max(0, this.#offset - add.length);
          const over = this.#lines.length - this.#size;
          if (over > 0) {
            this.#lines = this.#lines.slice(over);
            this.#atStart = false;
          }
        }
      })
      .catch(() => {
        if (gen === this.#generation) this.#atStart = true;
      })
      .finally(() => {
        if (gen !== this.#generation) return;
        this.#loading = false;
        this.#onLoad();
      });
  }
}
