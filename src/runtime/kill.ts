import { BerthError } from '../errors.js';
import { containerPaths } from './layout.js';
import { readContainerSync, requireStored } from './state.js';
import { isAlive, readStoredExit, readStoredState } from './store.js';
import { pidHearsSignal } from './signal-heard.js';
import type { RuntimeContext, StopOptions, StopOutcome } from './types.js';
import { waitContainer } from './wait.js';
import { noSuchContainer, notRunning } from './errors.js';
const { constants } = process.getBuiltinModule('node:os');

export function signalNumber(sig: string | number): number {
  if (typeof sig === 'number') return sig;
  if (/^\d+$/.test(sig)) return Number(sig);
  const name = sig.toUpperCase().startsWith('SIG') ? sig.toUpperCase() : `SIG${sig.toUpperCase()}`;
  const n = (constants.signals as Record<string, number>)[name];
  if (n === undefined) throw new BerthError('runtime/invalid-signal', `invalid signal: ${sig}`);
  return n;
}

/** Sends a signal to the container's pid 1 (SIGKILL by default). Not running = error. */
export async function killContainer(rt: RuntimeContext, id: string, signal: string | number = 'SIGKILL'): Promise<void> {
  requireStored(rt, id);
  const st = readStoredState(containerPaths(rt, id).state);
  if (!st || !isAlive(st) || readStoredExit(containerPaths(rt, id).exit)) {
    throw notRunning(id);
  }
  signalInit(id, st.pid, signal);
}

function signalInit(id: string, pid: number, signal: string | number): void {
  if (pid <= 0) throw notRunning(id); // (its exit is being recorded) never kill(0) or kill(-1)
  try {
    process.kill(pid, signalNumber(signal));
  } catch (err) {
    throw notRunning(id, { cause: err });
  }
}

/**
 * stop_signal, then SIGKILL after the grace period; already stopped = done. A pid 1 with no
 * handler for the stop signal never receives it from the host (signal-heard.ts): it gets
 * SIGKILL at once (outcome `killed-at-once`) instead of after a grace period spent waiting.
 */
export async function stopContainer(rt: RuntimeContext, id: string, options: StopOptions = {}): Promise<StopOutcome> {
  // one read of each file: `down` stops a level of containers at once, each read delays the next signal
  const found = readContainerSync(rt, id);
  if (!found) throw noSuchContainer(id);
  const { stored, state } = found;
  if (state.status === 'exited') return 'not-running';
  const timeoutMs = options.timeoutMs ?? stored.config.stopTimeoutMs ?? 10_000;
  if (state.status === 'paused') {
    const { resumeContainer } = await import('./pause.js');
    await resumeContainer(rt, id);
  }
  let outcome: StopOutcome = state.status === 'created' ? 'stopped' : 'killed-after-grace';
  if (state.status !== 'created') {
    const signal = signalNumber(options.signal ?? stored.config.stopSignal ?? 'SIGTERM');
    if (timeoutMs > 0 && !pidHearsSignal(state.pid, signal)) outcome = 'killed-at-once';
    else {
      try {
        signalInit(id, state.pid, signal);
        await waitContainer(rt, id, { timeoutMs });
        return 'stopped';
      } catch (err) {
        if (!(err instanceof BerthError) || (err.code !== 'runtime/timeout' && err.code !== 'runtime/not-running')) throw err;
      }
    }
  }
  try {
    await killContainer(rt, id, 'SIGKILL');
  } catch (err) {
    if (err instanceof BerthError && err.code === 'runtime/not-running') return 'stopped';
    throw err;
  }
  await waitContainer(rt, id, { timeoutMs: 10_000 });
  return outcome;
}
