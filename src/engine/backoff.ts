/**
 * Docker's restart backoff: the first restart waits 100 ms, each further one doubles the
 * delay up to one minute; a container that ran at least 10 s resets the delay.
 */
export const BACKOFF_START_MS = 100;
export const BACKOFF_CAP_MS = 60_000;
export const BACKOFF_RESET_AFTER_MS = 10_000;

export interface BackoffState {
  /** Delay used for the last restart (0 = none yet). */
  readonly lastDelayMs: number;
  /** Restarts counted against `on-failure:max`. */
  readonly restarts: number;
}

export const initialBackoff: BackoffState = { lastDelayMs: 0, restarts: 0 };

/** Delay before the next restart, given how long the container ran this time. */
export function nextBackoff(state: BackoffState, ranForMs: number): BackoffState & { delayMs: number } {
  const reset = ranForMs >= BACKOFF_RESET_AFTER_MS || state.lastDelayMs === 0;
  const delayMs = reset ? BACKOFF_START_MS : Math.min(state.lastDelayMs * 2, BACKOFF_CAP_MS);
  return { lastDelayMs: delayMs, restarts: state.restarts + 1, delayMs };
}

export type RestartPolicy =
  | { readonly name: 'no' }
  | { readonly name: 'always' }
  | { readonly name: 'unless-stopped' }
  | { readonly name: 'on-failure'; readonly maxRetries?: number };

/** Parses `no`, `always`, `unless-stopped`, `on-failure[:N]` and deploy's `none`/`any`. */
export function parseRestartPolicy(text: string | undefined, maxAttempts?: number): RestartPolicy {
  if (text === undefined || text === '' || text === 'no' || text === 'none') return { name: 'no' };
  if (text === 'always' || text === 'any') return maxAttempts ? { name: 'on-failure', maxRetries: maxAttempts } : { name: 'always' };
  if (text === 'unless-stopped') return { name: 'unless-stopped' };
  const m = /^on-failure(?::(\d+))?$/.exec(text);
  if (m) {
    const n = m[1] !== undefined ? Number(m[1]) : maxAttempts;
    return n !== undefined && n > 0 ? { name: 'on-failure', maxRetries: n } : { name: 'on-failure' };
  }
  return { name: 'no' };
}

/**
 * Whether a container that exited should be restarted. `stoppedByUser` (stop, down, kill
 * by berth) never restarts, as with Docker.
 */
export function shouldRestart(policy: RestartPolicy, exitCode: number, restarts: number, stoppedByUser: boolean): boolean {
  if (stoppedByUser) return false;
  switch (policy.name) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return exitCode !== 0 && (policy.maxRetries === undefined || restarts < policy.maxRetries);
  }
}
