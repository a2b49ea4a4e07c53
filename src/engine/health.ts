/**
 * The healthcheck state machine, as Docker runs it, kept pure: the supervisor feeds it probe
 * results and asks it when to probe next. Durations in milliseconds.
 *
 * Eager probes (berth's own, documented): after a (re)start, berth probes beside Docker's
 * schedule at growing gaps (50 ms, then doubling) until the first success or until
 * `interval` has passed since the start. An eager success makes the container healthy at
 * once; an eager failure counts for nothing (no streak, no log entry, start_period and retries
 * see only the scheduled probes), so a check that never passes turns unhealthy exactly when
 * it would without them.
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

export const EAGER_FIRST_GAP_MS = 50;

/** When the next scheduled (Docker's) probe and the next eager one are due. */
export interface ProbeClock {
  readonly dueAt: number;
  readonly eagerAt: number;
  readonly eagerGapMs: number;
  /** How long the last eager probe took: one that would overrun the scheduled probe is skipped. */
  readonly eagerTookMs: number;
}

/** The clock of a health loop started at `now` (the first scheduled probe as Docker's, from now). */
export function firstProbeClock(state: HealthState, config: HealthConfig, now: number): ProbeClock {
  return { dueAt: now + nextProbeDelay(state, config, now), eagerAt: state.startedAt + EAGER_FIRST_GAP_MS, eagerGapMs: EAGER_FIRST_GAP_MS, eagerTookMs: 0 };
}

/** The next probe: an eager one while starting, within `interval` of the start and before the scheduled one; else the scheduled one. */
export function nextProbe(state: HealthState, config: HealthConfig, clock: ProbeClock): { readonly at: number; readonly eager: boolean } {
  const eager = state.status === 'starting' && clock.eagerAt < state.startedAt + config.intervalMs && clock.eagerAt + clock.eagerTookMs < clock.dueAt;
  return eager ? { at: clock.eagerAt, eager } : { at: clock.dueAt, eager };
}

/** Applies a probe's result (an eager failure changes nothing) and moves the clock on from its end. */
export function afterProbe(state: HealthState, config: HealthConfig, clock: ProbeClock, eager: boolean, result: ProbeResult): { state: HealthState; clock: ProbeClock } {
  if (eager) {
    const next = result.exitCode === 0 ? applyProbe(state, config, result) : state;
    const gap = clock.eagerGapMs * 2;
    return { state: next, clock: { ...clock, eagerAt: result.end + gap, eagerGapMs: gap, eagerTookMs: result.end - result.start } };
  }
  const next = applyProbe(state, config, result);
  return { state: next, clock: { ...clock, dueAt: result.end + nextProbeDelay(next, config, result.end) } };
}
