/**
 * `up` and `create`: load -> lock -> images -> observe -> plan -> execute -> (attach).
 */
import type { Project, Service } from '../spec/index.js';
import type { LocalImage, PullPolicy } from '../image/index.js';
import type { CreateOptions, UpOptions, UpResult, PullOption } from '../api/index.js';
import { AggregateBerthError, BerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { concurrencyOf, emit } from './context.js';
import { loadFromSource, pickServices } from './project-source.js';
import { desiredState } from './desired.js';
import { planNetworks, planUp } from './plan.js';
import { executeDag, startOperations } from './execute-dag.js';
import { observeProject, storeFor, type ProjectSnapshot } from './observe.js';
import type { StateStore } from './state-store.js';
import type { Desired } from './desired.js';
import { lockProject } from './lock.js';
import { abandonCreations, applyNetworkOp, applyUpOp, type StartedNetwork, type UpRun } from './apply-up.js';
import { resolveHealthcheck, type HealthInput } from './health.js';
import { readinessBound, readinessPorts } from './readiness.js';
import { durationMs, serviceImageRef } from '../spec/index.js';
import { listVolumes } from './volumes.js';
import { ensureSupervisor } from './supervisor-client.js';
import { writeSidecar } from './sidecar.js';
import { projectDir } from './paths.js';
import { portsOf } from './container-spec.js';
import type { SupervisedService } from './state-store.js';
import type { Plan } from './plan-types.js';
import { attachProject } from './attach.js';
import { buildServiceImages } from './build-images.js';
import { trace } from '../util/trace.js';
import { pullPolicyFor } from './pull-policy.js';
import { pullImage } from './pull.js';
import { pruneReplacedImages, replacedImages } from './prune-replaced.js';

/**
 * --pull, else the service's pull_policy; daily/weekly/every_<d> from the recorded pull time.
 * `--pull build` concerns services with `build:` only (the others keep their own policy).
 */
function pullPolicy(ctx: EngineContext, ref: string, flag: PullOption | undefined, service: Service): PullPolicy {
  const useFlag = flag !== undefined && flag !== 'policy' && !(flag === 'build' && !service.build);
  return pullPolicyFor(ctx.paths, ref, useFlag ? flag : service.pull_policy, ctx.now());
}

const ns = (v: number | undefined): number | undefined => (v === undefined ? undefined : durationMs(v));

/** Compose + image healthcheck, durations in ms (the image's are nanoseconds too). */
export function serviceHealthcheck(service: Service, image: LocalImage | undefined) {
  const hc = service.healthcheck;
  const ih = image?.config.Healthcheck;
  const compose: HealthInput | undefined = hc
    ? { test: hc.test, interval: ns(hc.interval), timeout: ns(hc.timeout), retries: hc.retries, start_period: ns(hc.start_period), start_interval: ns(hc.start_interval), disable: hc.disable }
    : undefined;
  const fromImage: HealthInput | undefined = ih
    ? { test: ih.Test, interval: ns(ih.Interval), timeout: ns(ih.Timeout), retries: ih.Retries, start_period: ns(ih.StartPeriod), start_interval: ns(ih.StartInterval) }
    : undefined;
  return resolveHealthcheck(compose, fromImage);
}

function supervisedSettings(project: Project, images: ReadonlyMap<string, LocalImage>): Record<string, SupervisedService> {
  const out: Record<string, SupervisedService> = {};
  for (const [name, svc] of Object.entries(project.services)) {
    const rp = svc.deploy?.restart_policy;
    const restart = svc.restart ?? (rp ? (rp.condition === 'on-failure' ? 'on-failure' : rp.condition === 'none' ? 'no' : 'always') : 'no');
    const hc = serviceHealthcheck(svc, images.get(name));
    const restartDependents = Object.entries(project.services)
      .filter(([, s]) => s.depends_on?.[name]?.restart)
      .map(([n]) => n)
      .sort();
    out[name] = {
      restart,
      ...(rp?.max_attempts ? { maxRetries: rp.max_attempts } : {}),
      ...(hc ? { healthcheck: hc } : {}),
      ...(restartDependents.length > 0 ? { restartDependents } : {}),
    };
  }
  return out;
}

/** Builds (build-images.ts), then pulls what is missing (or everything with --pull always), in parallel, with progress events. */
async function ensureImages(ctx: EngineContext, project: Project, names: readonly string[], options: CreateOptions): Promise<Map<string, LocalImage>> {
  const images = await buildServiceImages(ctx, project, names, options);
  const byRef = new Map<string, string[]>();
  for (const n of names.filter((s) => !images.has(s))) {
    const svc = project.services[n]!;
    const ref = serviceImageRef(project.name, n, svc.image);
    byRef.set(ref, [...(byRef.get(ref) ?? []), n]);
  }
  await Promise.all(
    [...byRef].map(async ([ref, services]) => {
      const image = await pullImage(ctx, ref, services, pullPolicy(ctx, ref, options.pull, project.services[services[0]!]!), options.signal, options.quietPull === true);
      for (const s of services) images.set(s, image);
    }),
  );
  return images;
}

export interface PreparedUp {
  readonly project: Project;
  readonly names: readonly string[];
  readonly plan: Plan;
  readonly run: UpRun;
  /** Images the containers this plan removes ran on, no service's image any more (watch --prune). */
  readonly replaced: readonly string[];
}

interface Drawn {
  readonly plan: Plan;
  readonly snapshot: ProjectSnapshot;
  readonly healthchecked: ReadonlySet<string>;
}

/** COMPOSE_IGNORE_ORPHANS (the shell's or the .env file's, as compose reads it); refused beside --remove-orphans. */
function ignoreOrphans(project: Project, options: UpOptions): boolean {
  const on = /^(1|t|T|TRUE|true|True)$/.test(project.environment.COMPOSE_IGNORE_ORPHANS ?? '');
  if (on && options.removeOrphans) throw new BerthError('engine/usage', 'cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans');
  return on;
}

/** observe -> plan: what up would do, from the images at hand and the networks that exist. Reads only. */
async function drawPlan(
  ctx: EngineContext,
  project: Project,
  desired: Desired,
  options: UpOptions,
  images: ReadonlyMap<string, LocalImage>,
  networks: ReadonlySet<string>,
  store?: StateStore,
): Promise<Drawn> {
  const snapshot = await observeProject(ctx, project.name, store);
  const names = desired.services.map((s) => s.name);
  const healthchecked = new Set(names.filter((n) => serviceHealthcheck(project.services[n]!, images.get(n)) !== undefined));
  const plan = planUp(
    desired,
    {
      containers: snapshot.containers,
      networks,
      volumes: new Set(listVolumes(ctx.paths).map((v) => v.name)),
      imageIds: new Map([...images].map(([s, i]) => [s, i.id])),
    },
    {
      ...(options.forceRecreate ? { forceRecreate: true } : {}),
      ...(options.alwaysRecreateDeps ? { recreateDeps: true } : {}),
      ...(options.services && options.services.length > 0 ? { targets: new Set(options.services) } : {}),
      ...(options.noRecreate ? { noRecreate: true } : {}),
      ...(options.removeOrphans ? { removeOrphans: true } : {}),
      ...(ignoreOrphans(project, options) ? { ignoreOrphans: true } : {}),
      ...(options.noStart ? { noStart: true } : {}),
      ...(options.wait ? { waitAll: true, healthchecked } : {}),
    },
  );
  return { plan, snapshot, healthchecked };
}

/** The plan drawn, and the run that executes it (crash leftovers cleared first). */
async function prepare(
  ctx: EngineContext,
  project: Project,
  desired: Desired,
  options: UpOptions,
  images: Map<string, LocalImage>,
  networks: ReadonlySet<string>,
  store: StateStore,
  started: Map<string, StartedNetwork>,
): Promise<PreparedUp> {
  const { plan, snapshot, healthchecked } = await drawPlan(ctx, project, desired, options, images, networks, store);
  const names = desired.services.map((s) => s.name);
  const existing = new Map(snapshot.containers.map((c) => [c.name, { id: c.id, service: c.service }]));
  // crash leftovers: containers recorded as being created but unknown to the runtime
  for (const [name, entry] of Object.entries(snapshot.record?.containers ?? {})) {
    if (!existing.has(name) && entry.phase !== 'created') {
      await ctx.ports.network.detach(entry.id).catch(() => undefined);
      await ctx.ports.runtime.remove(entry.id).catch(() => undefined);
      snapshot.store.setContainer(name, undefined);
    }
  }
  const run: UpRun = {
    ctx,
    project,
    desired,
    store: snapshot.store,
    images,
    existing,
    healthchecked,
    ids: new Map(),
    networks: started,
    creations: new Map(),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout * 1000 } : {}),
    ...(options.renewAnonVolumes ? { renewAnonVolumes: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.wait && options.waitTimeoutMs ? { waitDeadline: ctx.now() + options.waitTimeoutMs } : {}),
    ...readiness(ctx, project, names, images, options.wait === true),
  };
  return { project, names, plan, run, replaced: replacedImages(plan, snapshot.containers, images) };
}

/**
 * `up --dry-run`: the plan up would execute, as text; nothing changes (no lock, no pull, no
 * build: images not here yet are named before the plan, which is drawn as if they were new).
 */
export async function planUpText(ctx: EngineContext, options: UpOptions): Promise<string> {
  const project = await loadFromSource(options.source, (m) => emit(ctx, { kind: 'warning', message: m }), 'enforce');
  const { names } = pickServices(project, options.services, options.noDeps);
  const desired = desiredState(project, { ...(options.scale ? { scale: options.scale } : {}), services: names });
  const images = new Map<string, LocalImage>();
  const missing: string[] = [];
  for (const n of names) {
    const svc = project.services[n]!;
    const ref = svc.image ?? `${project.name}-${n}`;
    const local = await ctx.ports.images.resolveLocal(ref);
    if (local) images.set(n, local);
    else missing.push(`${svc.build ? 'build' : 'pull'} image ${ref} (service ${n})`);
  }
  const networks = new Set((await ctx.ports.network.listNetworks()).map((n) => n.name));
  const { plan } = await drawPlan(ctx, project, desired, options, images, networks);
  return [...[...new Set(missing)].map((m) => `before the plan: ${m}`), plan.toString()].filter((l) => l !== '').join('\n');
}

/** The readiness waits of this up (readiness.ts), unless BERTH_READINESS=off. */
function readiness(ctx: EngineContext, project: Project, names: readonly string[], images: ReadonlyMap<string, LocalImage>, waitAll: boolean): Pick<UpRun, 'readiness'> {
  const boundMs = readinessBound(ctx);
  if (boundMs === undefined) return {};
  const ports = readinessPorts(project.services, names, images, waitAll);
  return ports.size > 0 ? { readiness: { boundMs, ports } } : {};
}

/** Ports must be free before anything starts: check those of containers about to start. */
async function checkPorts(ctx: EngineContext, prepared: PreparedUp): Promise<void> {
  const starting = new Set(prepared.plan.operations.filter((o) => o.kind === 'start').map((o) => o.service!));
  const requests = [...starting].sort().flatMap((s) =>
    portsOf(prepared.project.services[s]!)
      .filter((p) => p.hostPort !== 0)
      .map((p) => ({ service: s, hostPort: p.hostPort, protocol: p.protocol, ...(p.hostIp ? { hostIp: p.hostIp } : {}) })),
  );
  if (requests.length > 0) await ctx.ports.network.checkPortsFree(requests);
}

function firstFailure(failed: ReadonlyMap<string, unknown>): unknown {
  const errors = [...failed.values()];
  const root = errors.find((e) => !(e instanceof BerthError && e.code === 'engine/dependency-failed'));
  return root ?? errors[0];
}

/** create/up without attaching: returns the plan that was executed. */
export async function converge(ctx: EngineContext, options: UpOptions): Promise<{ project: Project; names: readonly string[]; plan: Plan; ids: ReadonlyMap<string, string> }> {
  trace('up');
  const project = await loadFromSource(options.source, (m) => emit(ctx, { kind: 'warning', message: m }), 'enforce');
  trace('up: project loaded');
  const { names } = pickServices(project, options.services, options.noDeps);
  const lock = await lockProject(`${ctx.paths.root}/projects/${project.name}`, project.name, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (pid) => emit(ctx, { kind: 'warning', message: `waiting for another berth process (pid ${pid}) working on project ${project.name}` }),
  });
  // Nothing is made before every image is here (pulled or built) and the ports are free, as
  // docker compose pulls before it creates: a failed pull leaves no network behind. Then the
  // missing networks start at once, the head of the plan (their record -> bridge -> firewall
  // operations) running while the rest is set up, before the containers' own network
  // namespaces compete with them for the kernel's rtnl lock. The plan's walk awaits them.
  const desired = desiredState(project, { ...(options.scale ? { scale: options.scale } : {}), services: names });
  const store = storeFor(ctx, project.name);
  const started = new Map<string, StartedNetwork>();
  let running: ReadonlyMap<string, Promise<void>> = new Map();
  let prepared: PreparedUp | undefined;
  try {
    trace('up: locked');
    const images = await ensureImages(ctx, project, names, options);
    trace('up: images resolved');
    const networks = new Set((await ctx.ports.network.listNetworks()).map((n) => n.name));
    prepared = await prepare(ctx, project, desired, options, images, networks, store, started);
    trace('up: planned');
    for (const w of prepared.plan.warnings) emit(ctx, { kind: 'warning', message: w });
    await checkPorts(ctx, prepared);
    running = startOperations(planNetworks(desired, networks), (op) => applyNetworkOp({ ctx, project, store, networks: started }, op), ctx.onOperation);
    store.update((r) => ({
      ...r,
      workingDir: project.workingDir,
      configFiles: project.composeFiles,
      services: { ...r.services, ...supervisedSettings(project, images) },
    }));
    if (!options.noStart) ensureSupervisor(ctx, project.name);
    trace('up: supervisor ensured');
    const result = await executeDag(prepared.plan.operations, (op) => applyUpOp(prepared!.run, op), {
      running,
      ...concurrencyOf(ctx),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(ctx.onOperation ? { onOperation: ctx.onOperation } : {}),
      onWarning: (message) => emit(ctx, { kind: 'warning', message }),
    });
    if (result.failed.size > 0) {
      const err = firstFailure(result.failed);
      emit(ctx, { kind: 'error', message: describe(err) });
      throw err instanceof BerthError ? err : new AggregateBerthError('engine/up', `project ${project.name}: up failed`, [...result.failed.values()]);
    }
    trace('up: executed');
    if (options.pruneReplaced) await pruneReplacedImages(ctx, prepared.replaced);
    if (!options.noStart) ensureSupervisor(ctx, project.name);
    const ids = new Map(prepared.run.ids);
    for (const [n, e] of prepared.run.existing) if (!ids.has(n)) ids.set(n, e.id);
    return { project, names, plan: prepared.plan, ids };
  } finally {
    // nothing half-made when up fails early: containers waiting to be attached are let go
    // (torn down), networks being made are finished first
    if (prepared) await abandonCreations(prepared.run, new BerthError('engine/up', `project ${project.name}: up did not finish`));
    await Promise.allSettled(running.values());
    lock.release();
    trace('up: done');
  }
}

export async function up(ctx: EngineContext, options: UpOptions): Promise<UpResult> {
  const detached = options.detach || options.wait || options.noStart;
  const { project, names } = await converge(ctx, options);
  if (detached) {
    if (options.sidecar && !options.noStart) writeSidecar(projectDir(ctx.paths, project.name), options.sidecar);
    return { exitCode: 0 };
  }
  return attachProject(ctx, project, names, options);
}
