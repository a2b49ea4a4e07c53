/**
 * The one way tests wait for something: polls `check` every `intervalMs` until it returns a
 * truthy value or `timeoutMs` passes (a check that throws is retried; its last error is
 * reported). Never a bare sleep; to prove that something does not happen, move a fake clock
 * (test/helpers/clock.ts) instead.
 */
export async function poll<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
