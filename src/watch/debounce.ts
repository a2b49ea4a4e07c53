/**
 * Groups bursts of file events into one batch: a batch is flushed once no new event came
 * for the quiet period (compose: 500 ms, reset on every event). Timers are injectable.
 */
export const QUIET_PERIOD_MS = 500;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  readonly #quietMs: number;
  readonly #flush: (paths: string[]) => void;
  readonly #timers: Timers;
  #pending = new Set<string>();
  #timer: unknown;

  constructor(quietMs: number, flush: (paths: string[]) => void, timers: Timers = realTimers) {
    this.#quietMs = quietMs;
    this.#flush = flush;
    this.#timers = timers;
  }

  add(path: string): void {
    this.#pending.add(path);
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = this.#timers.set(() => this.flushNow(), this.#quietMs);
  }

  flushNow(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending].sort();
    this.#pending = new Set();
    this.#flush(batch);
  }

  /** Drops pending events and the timer. */
  stop(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }
}
