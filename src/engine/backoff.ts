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

export type RestartPolicy = ({ readonly name: 'no' } | { readonly name: 'always' } | { readonly name: 'unless-stopped' } | { readonly name: 'on-failure' }) & {
  /** Restarts allowed (`on-failure:N`, `deploy.restart_policy.max_attempts`); counted within `windowMs` when set. */
  readonly maxRetries?: number;
  /** `deploy.restart_policy.delay`: a fixed wait before each restart instead of Docker's backoff. */
  readonly delayMs?: number;
  /** `deploy.restart_policy.window`: only restarts this recent count against `maxRetries` (swarm's rule). */
  readonly windowMs?: number;
};

/** `deploy.restart_policy` as the compose file gives it (durations in ms). */
export interface DeployRestartPolicy {
  readonly condition?: string;
  readonly delayMs?: number;
  readonly windowMs?: number;
  readonly maxAttempts?: number;
}

/**
 * `deploy.restart_policy`: condition `any` (the default), `on-failure`, `none`, with
 * `max_attempts` (any exit counts with `any`, as in swarm), `delay` and `window`.
 */
export function deployRestartPolicy(rp: DeployRestartPolicy): RestartPolicy {
  const c = rp.condition ?? 'any';
  const extra = {
    ...(rp.maxAttempts !== undefined && rp.maxAttempts > 0 ? { maxRetries: rp.maxAttempts } : {}),
    ...(rp.delayMs !== undefined ? { delayMs: rp.delayMs } : {}),
    ...(rp.windowMs !== undefined && rp.windowMs > 0 ? { windowMs: rp.windowMs } : {}),
  };
  if (c === 'none' || c === 'no') return { name: 'no' };
  if (c === 'on-failure') return { name: 'on-failure', ...extra };
  if (c === 'unless-stopped') return { name: 'unless-stopped', ...extra };
  return { name: 'always', ...extra };
}

/** Restarts that count against `maxRetries`: all of them, or those within the window. */
export function countedRestarts(policy: RestartPolicy, restarts: number, restartTimes: readonly number[], now: number): number {
  if (policy.windowMs === undefined) return restarts;
  return restartTimes.filter((t) => now - t < policy.windowMs!).length;
}

/** The wait before the next restart: the policy's fixed delay, else Docker's backoff. */
export function restartDelay(policy: RestartPolicy, state: BackoffState, ranForMs: number): BackoffState & { delayMs: number } {
  const next = nextBackoff(state, ranForMs);
  return policy.delayMs !== undefined ? { ...next, lastDelayMs: policy.delayMs, delayMs: policy.delayMs } : next;
}

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
  const underMax = policy.maxRetries === undefined || restarts < policy.maxRetries;
  switch (policy.name) {
    case 'no':
      return false;
    case 'always':
    case 'unless-stopped':
      return underMax;
    case 'on-failure':
      return exitCode !== 0 && underMax;
  }
}
