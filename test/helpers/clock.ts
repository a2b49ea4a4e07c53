// A fake clock for tests that prove "nothing happened" (no restart after a stop, no probe
// before its interval): time moves only when the test says, so the proof takes no real wait
// and cannot pass by being too short.
import type { Clock } from '../../src/util/clock.js';

/** Lets whatever a woken sleeper does (promise callbacks, quick I/O) run before the next. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

export class FakeClock implements Clock {
  #t: number;
  #sleepers: { at: number; wake: () => void }[] = [];

  constructor(start = 1_000_000) {
    this.#t = start;
  }

  now = (): number => this.#t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const s = { at: this.#t + ms, wake: resolve };
      this.#sleepers.push(s);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((x) => x !== s);
          resolve();
        },
        { once: true },
      );
    });

  /** How many waits are pending (a loop that sleeps is idle, waiting on this clock). */
  get sleepers(): number {
    return this.#sleepers.length;
  }

  /** Moves time on by `ms`, waking each sleeper whose time came, earliest first. */
  async advance(ms: number): Promise<void> {
    const end = this.#t + ms;
    for (;;) {
      this.#sleepers.sort((a, b) => a.at - b.at);
      const next = this.#sleepers[0];
      if (!next || next.at > end) break;
      this.#sleepers.shift();
      this.#t = next.at;
      next.wake();
      await settle();
    }
    this.#t = end;
    await settle();
  }
}
