/**
 * stop / restart / kill / rm / pause / unpause on a project's containers, found by labels
 * (no compose file needed); start is start.ts. Mutating verbs hold the project lock.
 */
import type { CommonOptions, KillOptions, RemoveOptions, StopOptions, RestartOptions } from '../api/index.js';
import { AggregateBerthError, BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { concurrencyOf, emit } from './context.js';
import { observeProject, type ProjectSnapshot } from './observe.js';
import { planDown } from './plan.js';
import { executeDag } from './execute-dag.js';
import { markStoppedByUser, removeContainer, stopContainer } from './container-ops.js';
import { chosenContainers, startProject } from './start.js';
import { withProject } from './with-project.js';
import type { Operation } from './plan-types.js';
import { removeAnonymousVolumes } from './volumes.js';
import { readRunStatus, writeRunStatus } from './run-status.js';

async function failIfAny(result: { failed: ReadonlyMap<string, unknown> }, what: string): Promise<void> {
  if (result.failed.size > 0) {
    const errs = [...result.failed.values()];
    if (errs.length === 1 && errs[0] instanceof BerthError) throw errs[0];
    throw new AggregateBerthError('engine/partial', what, errs);
  }
}

export async function stopProject(ctx: EngineContext, snap: ProjectSnapshot, services: readonly string[] | undefined, timeout?: number): Promise<void> {
  const containers = chosenContainers(snap, services);
  const plan = planDown(containers, { networks: [], volumeNames: [], stopOnly: true, ...(services ? { services } : {}) });
  const byName = new Map(containers.map((c) => [c.name, c]));
  // all marked first: nothing is restarted by the supervisor while the stop goes on
  markStoppedByUser(
    snap.store,
    containers.map((c) => c.name),
  );
  const result = await executeDag(
    plan.operations,
    async (op: Operation) => {
      const c = byName.get(op.target)!;
      if (op.kind === 'stop') await stopContainer(ctx, snap.store, c.name, c.id, { service: c.service, project: snap.project, ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}) });
    },
    concurrencyOf(ctx),
  );
  await failIfAny(result, `project ${snap.project}: stop incomplete`);
}

export async function stop(ctx: EngineContext, options: StopOptions): Promise<void> {
  await withProject(ctx, options, (snap) => stopProject(ctx, snap, options.services, options.timeout));
}

/** The services plus, transitively, those that declared `depends_on: {X: {restart: true}}`. */
export function withRestartDependents(snap: ProjectSnapshot, services: readonly string[] | undefined): string[] | undefined {
  if (!services || services.length === 0) return undefined;
  const settings = snap.record?.services ?? {};
  const out = new Set(services);
  const queue = [...services];
  while (queue.length > 0) {
    for (const d of settings[queue.shift()!]?.restartDependents ?? []) {
      if (!out.has(d)) {
        out.add(d);
        queue.push(d);
      }
    }
  }
  return [...out].sort();
}

export async function restart(ctx: EngineContext, options: RestartOptions): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    const services = options.noDeps ? options.services : withRestartDependents(snap, options.services);
    await stopProject(ctx, snap, services, options.timeout);
    const fresh = await observeProject(ctx, snap.project);
    await startProject(ctx, fresh, services, undefined, true);
    for (const c of chosenContainers(fresh, services)) {
      const run = readRunStatus(fresh.store, c.name);
      writeRunStatus(fresh.store, c.name, { ...(run ?? { restarts: 0 }), userRestarts: (run?.userRestarts ?? 0) + 1 });
    }
  });
}

export async function kill(ctx: EngineContext, options: KillOptions): Promise<void> {
  const sig = options.killSignal ?? 'SIGKILL';
  await withProject(ctx, options, async (snap) => {
    const running = chosenContainers(snap, options.services).filter((x) => x.status === 'running' || x.status === 'paused');
    markStoppedByUser(
      snap.store,
      running.map((c) => c.name),
    );
    for (const c of running) {
      await ctx.ports.runtime.kill(c.id, sig.startsWith('SIG') ? sig : `SIG${sig}`);
      emit(ctx, { kind: 'container', action: 'killed', project: snap.project, service: c.service, container: c.name, id: c.id });
    }
  });
}

export async function remove(ctx: EngineContext, options: RemoveOptions): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    if (options.stop) await stopProject(ctx, snap, options.services);
    const fresh = options.stop ? await observeProject(ctx, snap.project) : snap;
    const targets = chosenContainers(fresh, options.services).filter((c) => c.status === 'exited' || c.status === 'created');
    const errors: unknown[] = [];
    for (const c of targets) {
      try {
        await removeContainer(ctx, fresh.store, c.name, c.id, { service: c.service, project: snap.project });
        if (options.volumes) for (const v of removeAnonymousVolumes(ctx.paths, c.name)) emit(ctx, { kind: 'volume', action: 'removed', project: snap.project, volume: v });
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateBerthError('engine/rm', `project ${snap.project}: removal incomplete`, errors);
  });
}

export async function pause(ctx: EngineContext, options: CommonOptions, resume: boolean): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    for (const c of chosenContainers(snap, options.services)) {
      if (resume ? c.status !== 'paused' : c.status !== 'running') continue;
      await (resume ? ctx.ports.runtime.resume(c.id) : ctx.ports.runtime.pause(c.id));
      emit(ctx, { kind: 'container', action: resume ? 'unpaused' : 'paused', project: snap.project, service: c.service, container: c.name, id: c.id });
    }
  });
}
