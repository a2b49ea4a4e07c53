/**
 * stop / start / restart / kill / rm / pause / unpause on a project's containers, found
 * by labels (no compose file needed). Mutating verbs hold the project lock.
 */
import type { CommonOptions, KillOptions, RemoveOptions, StopOptions } from '../api/index.js';
import { AggregateBerthError, BerthError, describe } from '../errors.js';
import { Labels } from '../api/index.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { observeProject, type ProjectSnapshot } from './observe.js';
import { projectNameOf } from './project-source.js';
import { lockProject } from './lock.js';
import { planDown } from './plan.js';
import { executeDag } from './execute-dag.js';
import { markStoppedByUser, removeContainer, restartFromSpec, stopContainer, readSpec, startCreated } from './container-ops.js';
import { ensureSupervisor } from './supervisor-client.js';
import type { Operation, WaitCondition } from './plan-types.js';
import { waitCondition } from './waits.js';
import { readRunStatus, resetRestartCount } from './run-status.js';
import { projectDir } from './paths.js';
import { removeAnonymousVolumes } from './volumes.js';

export async function withProject<T>(ctx: EngineContext, options: CommonOptions, fn: (snap: ProjectSnapshot) => Promise<T>, lock = true): Promise<T> {
  const { name } = await projectNameOf(options.source);
  const l = lock ? await lockProject(projectDir(ctx.paths, name), name, options.signal ? { signal: options.signal } : {}) : undefined;
  try {
    return await fn(await observeProject(ctx, name));
  } finally {
    l?.release();
  }
}

function chosen(snap: ProjectSnapshot, services: readonly string[] | undefined) {
  const known = new Set(snap.containers.map((c) => c.service));
  for (const s of services ?? []) if (!known.has(s)) throw new BerthError('engine/no-such-service', `no container found for service ${s} in project ${snap.project}`);
  const pick = services && services.length > 0 ? new Set(services) : undefined;
  return snap.containers.filter((c) => !c.oneoff && (!pick || pick.has(c.service)));
}

async function failIfAny(result: { failed: ReadonlyMap<string, unknown> }, what: string): Promise<void> {
  if (result.failed.size > 0) {
    const errs = [...result.failed.values()];
    if (errs.length === 1 && errs[0] instanceof BerthError) throw errs[0];
    throw new AggregateBerthError('engine/partial', what, errs);
  }
}

export async function stopProject(ctx: EngineContext, snap: ProjectSnapshot, services: readonly string[] | undefined, timeout?: number): Promise<void> {
  const containers = chosen(snap, services);
  const plan = planDown(containers, { networks: [], volumeNames: [], stopOnly: true, ...(services ? { services } : {}) });
  const byName = new Map(containers.map((c) => [c.name, c]));
  // all marked first: nothing is restarted by the supervisor while the stop goes on
  markStoppedByUser(snap.store, containers.map((c) => c.name));
  const result = await executeDag(plan.operations, async (op: Operation) => {
    const c = byName.get(op.target)!;
    if (op.kind === 'stop') await stopContainer(ctx, snap.store, c.name, c.id, { service: c.service, project: snap.project, ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}) });
  });
  await failIfAny(result, `project ${snap.project}: stop incomplete`);
}

export async function stop(ctx: EngineContext, options: StopOptions): Promise<void> {
  await withProject(ctx, options, (snap) => stopProject(ctx, snap, options.services, options.timeout));
}

/** `db:service_healthy:true,...` (the depends-on label) -> dependency service -> condition. */
export function dependencyConditions(label: string | undefined): Map<string, WaitCondition> {
  const byCompose: Record<string, WaitCondition> = { service_healthy: 'healthy', service_completed_successfully: 'completed' };
  const out = new Map<string, WaitCondition>();
  for (const part of (label ?? '').split(',').filter(Boolean)) {
    const [service, condition] = part.split(':');
    if (service) out.set(service, byCompose[condition ?? ''] ?? 'started');
  }
  return out;
}

/**
 * Starts stopped containers, dependencies first (by the depends-on labels); as `up`, a
 * container starts only once its dependencies meet their condition (healthy, completed).
 */
export async function startProject(ctx: EngineContext, snap: ProjectSnapshot, services: readonly string[] | undefined, signal?: AbortSignal): Promise<void> {
  const containers = chosen(snap, services);
  if (containers.length === 0) throw new BerthError('engine/no-containers', `project ${snap.project} has no containers to start`, { hint: 'run `berth up` to create them' });
  const byService = new Map<string, string[]>();
  for (const c of containers) byService.set(c.service, [...(byService.get(c.service) ?? []), `start:${c.name}`]);
  const ops: Operation[] = containers.map((c) => ({
    id: `start:${c.name}`,
    kind: 'start',
    target: c.name,
    service: c.service,
    deps: c.dependsOn.flatMap((d) => byService.get(d) ?? []),
  }));
  const byName = new Map(containers.map((c) => [c.name, c]));
  const waits = new Map<string, Promise<void>>();
  const waitFor = (service: string, condition: WaitCondition): Promise<void> => {
    const key = `${service}:${condition}`;
    let p = waits.get(key);
    if (!p) {
      const targets = snap.containers.filter((x) => x.service === service && !x.oneoff).map((x) => ({ name: x.name, id: x.id }));
      const hasHealthcheck = snap.record?.services[service]?.healthcheck !== undefined;
      p = targets.length === 0 ? Promise.resolve() : waitCondition(ctx, snap.store, { service, containers: targets, hasHealthcheck }, condition, signal);
      waits.set(key, p);
    }
    return p;
  };
  ensureSupervisor(ctx, snap.project);
  const result = await executeDag(ops, async (op) => {
    const c = byName.get(op.target)!;
    if (c.status === 'running' || c.status === 'paused') return;
    for (const [dep, condition] of dependencyConditions(snap.states.get(c.name)?.labels[Labels.dependsOn])) {
      if (condition === 'started') continue;
      emit(ctx, { kind: 'container', action: 'waiting', project: snap.project, service: c.service, container: c.name, id: c.id, detail: `${dep} ${condition}` });
      try {
        await waitFor(dep, condition);
      } catch (err) {
        throw new BerthError('engine/dependency-failed', `container ${c.name}: dependency ${dep} did not become ${condition}: ${describe(err)}`, { cause: err });
      }
    }
    const spec = readSpec(snap.store, c.name);
    const failedRestart = readRunStatus(snap.store, c.name)?.lastError !== undefined;
    resetRestartCount(snap.store, c.name);
    if (c.status === 'created' && spec && !failedRestart) await startCreated(ctx, snap.store, spec);
    else await restartFromSpec(ctx, snap.store, c.name);
  }, signal ? { signal } : {});
  await failIfAny(result, `project ${snap.project}: start incomplete`);
}

export async function start(ctx: EngineContext, options: CommonOptions): Promise<void> {
  await withProject(ctx, options, (snap) => startProject(ctx, snap, options.services, options.signal));
}

/** The services plus, transitively, those that declared `depends_on: {X: {restart: true}}`. */
function withRestartDependents(snap: ProjectSnapshot, services: readonly string[] | undefined): string[] | undefined {
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

export async function restart(ctx: EngineContext, options: StopOptions): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    const services = withRestartDependents(snap, options.services);
    await stopProject(ctx, snap, services, options.timeout);
    const fresh = await observeProject(ctx, snap.project);
    await startProject(ctx, fresh, services);
  });
}

export async function kill(ctx: EngineContext, options: KillOptions): Promise<void> {
  const sig = options.killSignal ?? 'SIGKILL';
  await withProject(ctx, options, async (snap) => {
    for (const c of chosen(snap, options.services).filter((x) => x.status === 'running' || x.status === 'paused')) {
      const entry = snap.store.read()?.containers[c.name];
      if (entry) snap.store.setContainer(c.name, { ...entry, stoppedByUser: true });
      await ctx.ports.runtime.kill(c.id, sig.startsWith('SIG') ? sig : `SIG${sig}`);
      emit(ctx, { kind: 'container', action: 'killed', project: snap.project, service: c.service, container: c.name, id: c.id });
    }
  });
}

export async function remove(ctx: EngineContext, options: RemoveOptions): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    if (options.stop) await stopProject(ctx, snap, options.services);
    const fresh = options.stop ? await observeProject(ctx, snap.project) : snap;
    const targets = chosen(fresh, options.services).filter((c) => c.status === 'exited' || c.status === 'created');
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
    for (const c of chosen(snap, options.services)) {
      if (resume ? c.status !== 'paused' : c.status !== 'running') continue;
      await (resume ? ctx.ports.runtime.resume(c.id) : ctx.ports.runtime.pause(c.id));
      emit(ctx, { kind: 'container', action: resume ? 'unpaused' : 'paused', project: snap.project, service: c.service, container: c.name, id: c.id });
    }
  });
}
