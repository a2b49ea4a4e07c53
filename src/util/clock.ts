import { sleep } from './sleep.js';

/** Time as the code that waits sees it: the real one, or a test's fake (test/helpers/clock.ts). */
export interface Clock {
  readonly now: () => number;
  /** Waits `ms`; an abort ends the wait early (resolves, never rejects). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };
