// startAttached: Docker's `start -a` on one container: start it (a created one passes its
// gate, an exited one runs again on its layer, a running one is only attached to), then
// its output until it exits, and its exit status.
import { BerthError } from '../errors.js';
import { attachContainer, type AttachOptions } from './attach.js';
import { startOrRerunContainer } from './start-again.js';
import { containerStateSync } from './state.js';
import type { ExitStatus, RuntimeContext } from './types.js';

export async function startAttached(rt: RuntimeContext, id: string, opts: Omit<AttachOptions, 'fromStart'>): Promise<ExitStatus> {
  const state = containerStateSync(rt, id);
  if (!state) throw new BerthError('runtime/not-found', `no such container: ${id}`);
  if (state.status === 'running' || state.status === 'paused') return attachContainer(rt, id, opts);
  // a created container has written nothing yet; a new run starts a new log
  await startOrRerunContainer(rt, id);
  return attachContainer(rt, id, { ...opts, fromStart: true });
}
