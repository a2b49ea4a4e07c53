/** Waits `ms`; an abort ends the wait early (resolves, never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `p` for at most `ms` (the timer goes when `p` settles first); never rejects. */
export async function within(p: Promise<unknown>, ms: number): Promise<void> {
  const ac = new AbortController();
  const settled = (): void => ac.abort();
  await Promise.race([p.then(settled, settled), sleep(ms, ac.signal)]);
}
