/**
 * `start`: runs a project's stopped containers again, dependencies first (by the
 * depends-on labels, so no compose file is needed). As in up, a container starts as soon as
 * its own dependencies meet their condition: the plan has the same `wait` operations (with
 * `optional` for `required: false`), run by the same applyWait, and executeDag turns an
 * optional wait's failure into a warning. A dependency with no container at all is an error
 * when required and a warning when not (docker compose's "is missing dependency").
 */
import type { StartOptions } from '../api/index.js';
import { Labels } from '../api/index.js';
import { AggregateBerthError, BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { concurrencyOf, emit } from './context.js';
import type { ProjectSnapshot } from './observe.js';
import type { ObservedContainer, Operation, WaitCondition, WaitOp } from './plan-types.js';
import { makePlan } from './plan-text.js';
import type { Plan } from './plan-types.js';
import { waitId } from './plan.js';
import { executeDag } from './execute-dag.js';
import { applyWait } from './waits.js';
import { readSpec, restartFromSpec, startCreated } from './container-ops.js';
import { ensureSupervisor } from './supervisor-client.js';
import { readRunStatus, resetRestartCount } from './run-status.js';
import { compareText } from '../util/compare.js';
import { withProject } from './with-project.js';
import { noContainerFor } from './errors.js';

export interface LabelledDependency {
  readonly service: string;
  readonly condition: WaitCondition;
  readonly required: boolean;
}

/** `db:service_healthy:false:true,...` (the depends-on label: service, condition, restart, required) -> dependencies. */
export function dependenciesOf(label: string | undefined): LabelledDependency[] {
  const byCompose: Record<string, WaitCondition> = { service_healthy: 'healthy', service_completed_successfully: 'completed' };
  const out: LabelledDependency[] = [];
  for (const part of (label ?? '').split(',').filter(Boolean)) {
    const [service, condition, , required] = part.split(':');
    // labels written before the 4th field: required (compose's default)
    if (service) out.push({ service, condition: byCompose[condition ?? ''] ?? 'started', required: required !== 'false' });
  }
  return out;
}

export interface StartPlanInput {
  readonly project: string;
  /** The containers to start (oneoffs excluded). */
  readonly chosen: readonly ObservedContainer[];
  /** Every container of the project (a dependency not chosen is still waited for). */
  readonly all: readonly ObservedContainer[];
  /** Depends-on label per container name. */
  readonly labels: ReadonlyMap<string, string | undefined>;
  /** A missing required dependency only warns too (restart: compose's restart does not check). */
  readonly lenient?: boolean;
}

/** Pure: start ops plus shared wait ops; a missing required dependency throws, a missing optional one warns. */
export function planStart(input: StartPlanInput): Plan {
  const ops: Operation[] = [];
  const warnings: string[] = [];
  const startsOf = new Map<string, string[]>();
  for (const c of input.chosen) startsOf.set(c.service, [...(startsOf.get(c.service) ?? []), `start:${c.name}`]);
  const present = new Set(input.all.filter((c) => !c.oneoff).map((c) => c.service));
  const waits = new Map<string, WaitOp>();
  for (const c of [...input.chosen].sort((a, b) => compareText(a.name, b.name))) {
    const deps: string[] = [];
    for (const d of dependenciesOf(input.labels.get(c.name)).sort((a, b) => compareText(a.service, b.service))) {
      if (d.service === c.service) continue;
      if (!present.has(d.service)) {
        // compose checks this only for the conditions it waits on
        if (d.condition === 'started') continue;
        const message = `service ${c.service} is missing dependency ${d.service}`;
        if (d.required && !input.lenient) throw new BerthError('engine/missing-dependency', message, { hint: `run \`berth up\` to create ${d.service}, or mark the dependency required: false` });
        warnings.push(message);
        continue;
      }
      const starts = startsOf.get(d.service) ?? [];
      if (d.condition === 'started') {
        deps.push(...starts);
        continue;
      }
      const id = waitId(d.service, d.condition);
      const have = waits.get(id);
      // one wait per dependency and condition; it is optional only if every dependent says so
      if (!have || (have.optional && d.required))
        waits.set(id, { id, kind: 'wait', target: d.service, service: d.service, condition: d.condition, deps: starts, ...(d.required ? {} : { optional: true }) });
      deps.push(id);
    }
    ops.push({
      id: `start:${c.name}`,
      kind: 'start',
      target: c.name,
      service: c.service,
      number: c.number,
      ...(c.status !== 'running' && c.status !== 'paused' ? {} : { reason: c.status }),
      deps: [...new Set(deps)],
    });
  }
  ops.push(...[...waits.values()].sort((a, b) => compareText(a.id, b.id)));
  return makePlan(ops, [...new Set(warnings)]);
}

export function chosenContainers(snap: ProjectSnapshot, services: readonly string[] | undefined): ObservedContainer[] {
  const known = new Set(snap.containers.map((c) => c.service));
  for (const s of services ?? []) if (!known.has(s)) throw noContainerFor(s, snap.project);
  const pick = services && services.length > 0 ? new Set(services) : undefined;
  return snap.containers.filter((c) => !c.oneoff && (!pick || pick.has(c.service)));
}

/** Starts stopped containers per planStart; failures are gathered (the rest still starts). */
export async function startProject(ctx: EngineContext, snap: ProjectSnapshot, services: readonly string[] | undefined, signal?: AbortSignal, lenient = false): Promise<void> {
  const containers = chosenContainers(snap, services);
  if (containers.length === 0) throw new BerthError('engine/no-containers', `project ${snap.project} has no containers to start`, { hint: 'run `berth up` to create them' });
  const plan = planStart({
    project: snap.project,
    chosen: containers,
    all: snap.containers,
    labels: new Map(containers.map((c) => [c.name, snap.states.get(c.name)?.labels[Labels.dependsOn]])),
    ...(lenient ? { lenient: true } : {}),
  });
  for (const w of plan.warnings) emit(ctx, { kind: 'warning', message: w });
  const byName = new Map(containers.map((c) => [c.name, c]));
  ensureSupervisor(ctx, snap.project);
  const result = await executeDag(
    plan.operations,
    async (op) => {
      if (op.kind === 'wait') {
        const targets = snap.containers.filter((x) => x.service === op.service && !x.oneoff).map((x) => ({ name: x.name, id: x.id }));
        const hasHealthcheck = snap.record?.services[op.service!]?.healthcheck !== undefined;
        await applyWait(ctx, snap.store, snap.project, { service: op.service!, containers: targets, hasHealthcheck }, op.condition!, signal);
        return;
      }
      const c = byName.get(op.target)!;
      if (c.status === 'running' || c.status === 'paused') return;
      const spec = readSpec(snap.store, c.name);
      const failedRestart = readRunStatus(snap.store, c.name)?.lastError !== undefined;
      resetRestartCount(snap.store, c.name);
      if (c.status === 'created' && spec && !failedRestart) await startCreated(ctx, snap.store, spec);
      else await restartFromSpec(ctx, snap.store, c.name);
    },
    { ...(signal ? { signal } : {}), ...concurrencyOf(ctx), onWarning: (message) => emit(ctx, { kind: 'warning', message }) },
  );
  if (result.failed.size > 0) {
    const errs = [...result.failed.values()];
    if (errs.length === 1 && errs[0] instanceof BerthError) throw errs[0];
    throw new AggregateBerthError('engine/partial', `project ${snap.project}: start incomplete`, errs);
  }
}

export async function start(ctx: EngineContext, options: StartOptions): Promise<void> {
  await withProject(ctx, options, async (snap) => {
    await startProject(ctx, snap, options.services, options.signal);
    if (options.wait) await waitStarted(ctx, snap, options);
  });
}

/** `start --wait`: every chosen service running, or healthy when it has a healthcheck (as `up --wait`). */
async function waitStarted(ctx: EngineContext, snap: ProjectSnapshot, options: StartOptions): Promise<void> {
  const deadline = options.waitTimeoutMs ? ctx.now() + options.waitTimeoutMs : undefined;
  const byService = new Map<string, { name: string; id: string }[]>();
  for (const c of chosenContainers(snap, options.services)) byService.set(c.service, [...(byService.get(c.service) ?? []), { name: c.name, id: c.id }]);
  await Promise.all(
    [...byService].map(([service, containers]) => {
      const hasHealthcheck = snap.record?.services[service]?.healthcheck !== undefined;
      return applyWait(ctx, snap.store, snap.project, { service, containers, hasHealthcheck }, hasHealthcheck ? 'healthy' : 'running', options.signal, deadline);
    }),
  );
}
