// Property/fuzz tests (fast-check): a bounded number of cases in `npm test`, many more in
// `npm run fuzz` (BERTH_FUZZ_RUNS, default 20000 there). Every input must end in a value or a
// typed error (BerthError): anything else (a TypeError, a RangeError, a hang) fails the case.
import * as fc from 'fast-check';
import { BerthError } from '../../src/errors.js';

/** Cases per property: BERTH_FUZZ_RUNS, else `fallback` (the bounded count of `npm test`). */
export function fuzzRuns(fallback = 200): number {
  const n = Number(process.env.BERTH_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** fast-check parameters: the run count, a per-case time limit (a hang fails), a seed to replay. */
export function fuzzParams(fallback?: number): fc.Parameters<unknown> {
  const seed = Number(process.env.BERTH_FUZZ_SEED);
  return { numRuns: fuzzRuns(fallback), timeout: 5000, ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** Fails (rethrows) unless `err` is a BerthError with a one-line message. */
export function expectTyped(err: unknown): void {
  if (!(err instanceof BerthError)) throw err;
  if (err.message.includes('\n    at ')) throw new Error(`a stack trace in the message: ${err.message}`);
}

/** Runs `fn`; a value or a typed error passes. */
export function valueOrTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expectTyped(err);
  }
}

export async function valueOrTypedAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    expectTyped(err);
  }
}
