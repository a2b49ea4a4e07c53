/**
 * The healthcheck state machine, as Docker runs it, kept pure: the supervisor feeds it probe
 * results and asks it when to probe next. Durations in milliseconds.
 */
export const HEALTH_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
} as const;

/** Docker keeps the last five probe results. */
export const HEALTH_LOG_SIZE = 5;

export interface HealthConfig {
  /** `['CMD', ...]`, `['CMD-SHELL', 'cmd']`; `['NONE']` or empty = disabled. */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  readonly startIntervalMs: number;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface ProbeResult {
  readonly start: number;
  readonly end: number;
  readonly exitCode: number;
  readonly output: string;
}

export interface HealthState {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  readonly log: readonly ProbeResult[];
  /** When the container (re)started: start_period counts from here. */
  readonly startedAt: number;
}

export interface HealthInput {
  readonly test?: readonly string[] | string | undefined;
  readonly interval?: number | undefined;
  readonly timeout?: number | undefined;
  readonly retries?: number | undefined;
  readonly start_period?: number | undefined;
  readonly start_interval?: number | undefined;
  readonly disable?: boolean | undefined;
}

/**
 * Merges the compose healthcheck over the image's one (compose wins key by key) and fills
 * Docker's defaults. Returns undefined when there is no check or it is disabled.
 * Durations in the inputs are milliseconds; 0 or undefined means "default".
 */
export function resolveHealthcheck(compose: HealthInput | undefined, image: HealthInput | undefined): HealthConfig | undefined {
  if (compose?.disable) return undefined;
  const rawTest = compose?.test ?? image?.test;
  const test = typeof rawTest === 'string' ? ['CMD-SHELL', rawTest] : rawTest;
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined;
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') return undefined;
  const pick = (k: keyof HealthInput, dflt: number): number => {
    const c = compose?.[k];
    if (typeof c === 'number' && c > 0) return c;
    const i = image?.[k];
    if (typeof i === 'number' && i > 0) return i;
    return dflt;
  };
  return {
    test,
    intervalMs: pick('interval', HEALTH_DEFAULTS.intervalMs),
    timeoutMs: pick('timeout', HEALTH_DEFAULTS.timeoutMs),
    retries: pick('retries', HEALTH_DEFAULTS.retries),
    startPeriodMs: pick('start_period', HEALTH_DEFAULTS.startPeriodMs),
    startIntervalMs: pick('start_interval', HEALTH_DEFAULTS.startIntervalMs),
  };
}

/** The argv the probe runs: `CMD` as is, `CMD-SHELL` through `/bin/sh -c`. */
export function probeArgv(config: HealthConfig): string[] {
  const [kind, ...rest] = config.test;
  return kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : rest;
}

export function initialHealth(startedAt: number): HealthState {
  return { status: 'starting', failingStreak: 0, log: [], startedAt };
}

function inStartPeriod(state: HealthState, config: HealthConfig, at: number): boolean {
  return at - state.startedAt < config.startPeriodMs;
}

/** Milliseconds until the next probe, measured from the end of the last one (or the start). */
export function nextProbeDelay(state: HealthState, config: HealthConfig, at: number): number {
  return inStartPeriod(state, config, at) && state.status === 'starting' ? config.startIntervalMs : config.intervalMs;
}

/**
 * Applies one probe result. A success makes the container healthy; a failure during the
 * start period does not count; `retries` consecutive failures make it unhealthy. A probe
 * that overran the timeout counts as a failure (exit code -1 by convention).
 */
export function applyProbe(state: HealthState, config: HealthConfig, result: ProbeResult): HealthState {
  const log = [...state.log, result].slice(-HEALTH_LOG_SIZE);
  if (result.exitCode === 0) return { ...state, status: 'healthy', failingStreak: 0, log };
  if (inStartPeriod(state, config, result.start) && state.status === 'starting') return { ...state, log };
  const failingStreak = state.failingStreak + 1;
  const status: HealthStatus = failingStreak >= config.retries ? 'unhealthy' : state.status;
  return { ...state, status, failingStreak, log };
}
