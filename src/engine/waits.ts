/**
 * Waiting for a service's condition during up: started, running (--wait), healthy
 * (health status kept by the supervisor in the state dir), completed successfully.
 * Bounded polls of state files; never a bare sleep.
 */
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import type { StateStore } from './state-store.js';
import type { WaitCondition } from './plan-types.js';

export interface WaitTarget {
  readonly service: string;
  readonly containers: readonly { readonly name: string; readonly id: string }[];
  readonly hasHealthcheck: boolean;
  /** The services whose start waits on this (`depends_on`), for the `waiting` event. */
  readonly waiters?: readonly string[];
}

const POLL_MS = 50;

export async function waitCondition(ctx: EngineContext, store: StateStore, target: WaitTarget, condition: WaitCondition, signal?: AbortSignal, deadline?: number): Promise<void> {
  if (condition === 'started') return;
  if (condition === 'healthy' && !target.hasHealthcheck) {
    throw new BerthError('engine/no-healthcheck', `service ${target.service} has no healthcheck, so nothing can wait for it to be healthy`, {
      hint: 'add a healthcheck to the service or use condition: service_started',
    });
  }
  if (condition === 'completed') {
    for (const c of target.containers) {
      const status = await ctx.ports.runtime.wait(c.id, signal);
      if (status.exitCode !== 0) {
        throw new BerthError('engine/dependency-exited', `container ${c.name} exited with code ${status.exitCode}`, { details: { service: target.service } });
      }
    }
    return;
  }
  for (const c of target.containers) {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (deadline !== undefined && ctx.now() > deadline) throw new BerthError('engine/timeout', `container ${c.name} did not become ${condition} in time`);
      const state = await ctx.ports.runtime.state(c.id);
      const restarting = store.readStatus(c.name)?.restartingUntil !== undefined;
      if (!state) throw new BerthError('engine/container-gone', `container ${c.name} disappeared`);
      if (state.status === 'exited' && !restarting) {
        throw new BerthError('engine/dependency-exited', `container ${c.name} exited with code ${state.exitCode ?? '?'}`, { details: { service: target.service } });
      }
      if (condition === 'running' && state.status === 'running') break;
      if (condition === 'healthy') {
        // only a verdict about this run counts: after a restart the record still holds the last one
        const h = store.readStatus(c.name)?.health;
        const current = h !== undefined && state.startedAt !== undefined && h.startedAt === Date.parse(state.startedAt);
        const health = current ? h.status : undefined;
        if (health === 'healthy') break;
        if (health === 'unhealthy') throw new BerthError('engine/unhealthy', `container ${c.name} is unhealthy`, { details: { service: target.service } });
      }
      await ctx.sleep(POLL_MS, signal); // the clock of ctx.now(), as the deadline
    }
  }
}

/**
 * A plan's `wait` operation, shared by up and start: announces the wait, waits for the
 * condition (waitCondition), then reports each container healthy / exited / running. A
 * failure is thrown; executeDag turns it into a warning when the wait is optional.
 */
export async function applyWait(ctx: EngineContext, store: StateStore, project: string, target: WaitTarget, condition: WaitCondition, signal?: AbortSignal, deadline?: number): Promise<void> {
  if (condition === 'started') return;
  const { service, containers } = target;
  emit(ctx, { kind: 'container', action: 'waiting', project, service, container: containers[0]?.name ?? service, detail: condition, ...(target.waiters?.length ? { waiters: target.waiters } : {}) });
  await waitCondition(ctx, store, target, condition, signal, deadline);
  for (const c of containers) {
    const action = condition === 'healthy' ? 'healthy' : condition === 'completed' ? 'exited' : 'running';
    emit(ctx, { kind: 'container', action, project, service, container: c.name, id: c.id, ...(condition === 'completed' ? { exitCode: 0 } : {}) });
  }
}
