/**
 * plan(desired, observed) -> a DAG of operations. Pure: no I/O, deterministic.
 * A service's containers start as soon as the services it depends on satisfy their own
 * conditions (`wait <svc> healthy` nodes), never after a global barrier.
 */
import type { Desired, DesiredService } from './desired.js';
import type { ContainerOp, NetworkOp, Observed, ObservedContainer, Operation, Plan, WaitCondition, WaitOp } from './plan-types.js';
import { makePlan } from './plan-text.js';
import { compareText } from '../util/compare.js';

export interface PlanUpOptions {
  /** Recreate the targeted services' containers (compose: dependencies follow recreateDeps). */
  readonly forceRecreate?: boolean;
  /** `--always-recreate-deps`: recreate the services that are in the plan only as dependencies. */
  readonly recreateDeps?: boolean;
  /** The services named on the command line; undefined or empty = every service is targeted. */
  readonly targets?: ReadonlySet<string>;
  readonly noRecreate?: boolean;
  readonly removeOrphans?: boolean;
  /** COMPOSE_IGNORE_ORPHANS: no warning for orphan containers. */
  readonly ignoreOrphans?: boolean;
  readonly noStart?: boolean;
  /** `--wait`: add a wait node per service (healthy when it has a check, else running). */
  readonly waitAll?: boolean;
  /** Services that have a healthcheck (for --wait). */
  readonly healthchecked?: ReadonlySet<string>;
}

const conditionOf: Record<string, WaitCondition> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

export function waitId(service: string, condition: WaitCondition): string {
  return condition === 'started' ? `ready:${service}` : `wait:${service}:${condition}`;
}

/**
 * A container that joined another service's namespaces (`network_mode`, `ipc`, `pid`:
 * `service:X`) or mounts its volumes (`volumes_from`) is bound to X's container of the day: when
 * X gets a new container, the joiner is recreated with it (compose does the same), or it would
 * keep a dead container's network namespace. Planned to a fixpoint (chains: A joins B joins C).
 */
export function planUp(desired: Desired, observed: Observed, options: PlanUpOptions = {}): Plan {
  // X renewed: a container of X recreated, or X had none (a scale-up of X keeps its joiners)
  const had = new Set(observed.containers.filter((c) => !c.oneoff).map((c) => c.service));
  let joined = new Map<string, string>();
  for (;;) {
    const plan = planUpOnce(desired, observed, options, joined);
    if (options.noRecreate) return plan;
    const created = new Set(plan.operations.filter((o) => o.kind === 'create' && (o.reason?.startsWith('recreate') || !had.has(o.service ?? ''))).map((o) => o.service));
    const next = new Map(joined);
    for (const svc of desired.services) {
      const source = svc.createAfter.find((x) => created.has(x));
      if (source !== undefined && !created.has(svc.name) && !next.has(svc.name)) next.set(svc.name, `${source} has a new container`);
    }
    if (next.size === joined.size) return plan;
    joined = next;
  }
}

/**
 * The missing networks' phases (record -> bridge -> firewall), one operation each. Also
 * what `up` starts first, once images are here and ports free (they depend on nothing else).
 */
export function planNetworks(desired: Desired, existing: ReadonlySet<string>): NetworkOp[] {
  return desired.networks
    .filter((net) => !net.external && !existing.has(net.name))
    .flatMap((net): NetworkOp[] => [
      { id: `network:${net.key}`, kind: 'create-network', target: net.name, key: net.key, deps: [] },
      { id: `bridge:${net.key}`, kind: 'bridge-network', target: net.name, key: net.key, deps: [`network:${net.key}`] },
      { id: `firewall:${net.key}`, kind: 'firewall-network', target: net.name, key: net.key, deps: [`bridge:${net.key}`] },
    ]);
}

function planUpOnce(desired: Desired, observed: Observed, options: PlanUpOptions, joined: ReadonlyMap<string, string>): Plan {
  const ops: Operation[] = [...planNetworks(desired, observed.networks)];
  const warnings: string[] = [];
  const inPlan = new Set(desired.services.map((s) => s.name));

  for (const vol of desired.volumes) {
    if (!vol.external && !observed.volumes.has(vol.name)) ops.push({ id: `volume:${vol.key}`, kind: 'create-volume', target: vol.name, key: vol.key, deps: [] });
  }
  const opIds = new Set(ops.map((o) => o.id));
  const byService = groupBy(
    observed.containers.filter((c) => !c.oneoff),
    (c) => c.service,
  );

  const waits = new Map<string, WaitOp>();
  const needWait = (service: string, condition: WaitCondition, optional: boolean): string => {
    const id = waitId(service, condition);
    if (condition !== 'started' && !waits.has(id)) {
      waits.set(id, { id, kind: 'wait', target: service, service, condition, deps: [waitId(service, 'started')], ...(optional ? { optional } : {}) });
    }
    return id;
  };

  for (const svc of desired.services) {
    const present = (ids: readonly string[]): string[] => ids.filter((id) => opIds.has(id));
    const resourceDeps = [
      ...present([...svc.networks.map((k) => `network:${k}`), ...svc.volumes.map((k) => `volume:${k}`)]),
      ...svc.createAfter.filter((d) => inPlan.has(d)).map((d) => waitId(d, 'started')),
    ];
    const phases = { bridges: present(svc.networks.map((k) => `bridge:${k}`)), firewalls: present(svc.networks.map((k) => `firewall:${k}`)) };
    const depWaits: string[] = [];
    warnings.push(...missingDependencyWarnings(svc.name, svc.dependsOn, inPlan, byService));
    for (const [dep, d] of Object.entries(svc.dependsOn).sort(([a], [b]) => compareText(a, b))) {
      if (!inPlan.has(dep) || options.noStart) continue; // create only: nothing to wait for
      depWaits.push(needWait(dep, conditionOf[d.condition] ?? 'started', !d.required));
    }
    const existing = new Map((byService.get(svc.name) ?? []).map((c) => [c.number, c]));
    const readyDeps: string[] = [];
    for (const want of svc.containers) {
      const have = existing.get(want.number);
      existing.delete(want.number);
      readyDeps.push(...planContainer(ops, svc, want.name, want.number, have, observed, { resources: resourceDeps, ...phases, waits: depWaits }, options, joined.get(svc.name)));
    }
    for (const extra of [...existing.values()].sort((a, b) => a.number - b.number)) {
      ops.push({ id: `remove:${extra.name}`, kind: 'remove', target: extra.name, service: svc.name, number: extra.number, reason: 'scale down', deps: [] });
    }
    ops.push({ id: waitId(svc.name, 'started'), kind: 'wait', target: svc.name, service: svc.name, condition: 'started', deps: readyDeps });
    if (options.waitAll && !options.noStart) needWait(svc.name, options.healthchecked?.has(svc.name) ? 'healthy' : 'running', false);
  }

  for (const [service, list] of [...byService.entries()].sort(([a], [b]) => compareText(a, b))) {
    // a service of the file left out of this up (`up web`, --no-deps, a profile) is no orphan (compose)
    if (inPlan.has(service) || desired.known.has(service)) continue;
    for (const c of list) {
      if (options.removeOrphans) ops.push({ id: `remove:${c.name}`, kind: 'remove', target: c.name, service, number: c.number, reason: 'orphan', deps: [] });
      else if (!options.ignoreOrphans) warnings.push(`found orphan container ${c.name} for service ${service}; run with --remove-orphans to remove it`);
    }
  }
  ops.push(...waits.values());
  return makePlan(ops, [...new Set(warnings)]);
}

/**
 * A dependency left out of the plan (`--no-deps`) is neither started nor waited for, as in
 * compose; a required one that has no container at all is said aloud rather than skipped
 * silently (the service may fail to reach it).
 */
export function missingDependencyWarnings(
  service: string,
  dependsOn: Readonly<Record<string, { readonly required: boolean }>>,
  inPlan: ReadonlySet<string>,
  present: ReadonlyMap<string, unknown> | ReadonlySet<string>,
): string[] {
  return Object.entries(dependsOn)
    .filter(([dep, d]) => d.required && dep !== service && !inPlan.has(dep) && !present.has(dep))
    .map(([dep]) => dep)
    .sort(compareText)
    .map((dep) => `service ${service}: required dependency ${dep} has no container and is not started (--no-deps)`);
}

/** What a replica's operations wait for: resources made, bridges up, firewalls synced, dependencies ready. */
interface ContainerDeps {
  readonly resources: readonly string[];
  readonly bridges: readonly string[];
  readonly firewalls: readonly string[];
  readonly waits: readonly string[];
}

/** Adds the operations for one replica; returns the op ids that mean "this replica is up". */
function planContainer(
  ops: Operation[],
  svc: DesiredService,
  name: string,
  number: number,
  have: ObservedContainer | undefined,
  observed: Observed,
  deps: ContainerDeps,
  options: PlanUpOptions,
  rejoin?: string,
): string[] {
  const base = { target: name, service: svc.name, number };
  const op = (kind: ContainerOp['kind'], after: readonly string[], reason?: string): void => void ops.push({ id: `${kind}:${name}`, kind, ...base, ...(reason ? { reason } : {}), deps: [...after] });
  const startOp = (after: string[], reason?: string): string[] => {
    if (options.noStart) return after;
    op('start', [...after, ...deps.firewalls, ...deps.waits], reason);
    return [`start:${name}`];
  };
  // create (up to the shim's sync point) -> attach (wired once the bridges are up) -> start
  const create = (reason: string, after: readonly string[]): string[] => {
    op('create', [...after, ...deps.resources], reason);
    op('attach', [`create:${name}`, ...deps.bridges]);
    return [`attach:${name}`];
  };
  if (!have) return startOp(create('new', []));
  const imageId = observed.imageIds.get(svc.name);
  const diverged = have.hash !== svc.hash ? 'config changed' : imageId !== undefined && have.imageId !== undefined && have.imageId !== imageId ? 'image changed' : undefined;
  const targeted = !options.targets || options.targets.size === 0 || options.targets.has(svc.name);
  const forced = targeted ? options.forceRecreate : options.recreateDeps;
  const recreate = forced ? 'forced' : options.noRecreate ? undefined : (diverged ?? rejoin);
  if (recreate) {
    op('remove', [], `recreate: ${recreate}`);
    return startOp(create(`recreate: ${recreate}`, [`remove:${name}`]));
  }
  if (have.status === 'running' || have.status === 'paused') {
    op('keep', [], have.status);
    return [`keep:${name}`];
  }
  return startOp([], have.status === 'exited' ? 'exited' : 'created');
}

export interface PlanDownOptions {
  readonly volumes?: boolean;
  /** Network and volume names the project owns (from the state dir and labels). */
  readonly networks: readonly string[];
  readonly volumeNames: readonly string[];
  /** Only these services (stop/rm SERVICE...); networks and volumes are kept then. */
  readonly services?: readonly string[];
  /** Only stop, do not remove (`stop`). */
  readonly stopOnly?: boolean;
}

/**
 * Down/stop: dependents stop first (the reverse of up), then containers are removed, then
 * networks (and volumes with -v) once nothing uses them.
 */
export function planDown(containers: readonly ObservedContainer[], options: PlanDownOptions): Plan {
  const ops: Operation[] = [];
  const picked = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const chosen = containers.filter((c) => !picked || picked.has(c.service));
  const dependentsOf = new Map<string, Set<string>>();
  for (const c of chosen) for (const dep of c.dependsOn) dependentsOf.set(dep, (dependentsOf.get(dep) ?? new Set()).add(c.service));
  const byService = groupBy(chosen, (c) => c.service);
  const whole = !picked && !options.stopOnly;
  const networks = whole ? [...options.networks].sort() : [];
  // containers are removed once every bridge's deletion is requested: the stops have the CLI
  // to themselves, and the removals run while the kernel deletes the bridges
  const requested = networks.map((n) => `rmnet:${n}`);
  for (const c of [...chosen].sort((a, b) => compareText(a.name, b.name))) {
    const after = [...(dependentsOf.get(c.service) ?? [])]
      .filter((s) => s !== c.service)
      .flatMap((s) => byService.get(s) ?? [])
      .map((d) => `stop:${d.name}`)
      .sort();
    if (c.status === 'running' || c.status === 'paused') {
      ops.push({ id: `stop:${c.name}`, kind: 'stop', target: c.name, service: c.service, number: c.number, deps: after });
    } else {
      ops.push({ id: `stop:${c.name}`, kind: 'keep', target: c.name, service: c.service, number: c.number, reason: c.status, deps: after });
    }
    if (!options.stopOnly) ops.push({ id: `remove:${c.name}`, kind: 'remove', target: c.name, service: c.service, number: c.number, deps: [`stop:${c.name}`, ...requested] });
  }
  if (whole) {
    const removed = chosen.map((c) => `remove:${c.name}`).sort();
    // A network goes once every container is stopped: its bridge removal (kernel RCU waits)
    // overlaps the containers' own removal, which leaves their veths to it.
    const stopped = chosen.map((c) => `stop:${c.name}`).sort();
    for (const n of networks) {
      ops.push({ id: `rmnet:${n}`, kind: 'remove-network', target: n, deps: stopped });
      ops.push({ id: `netgone:${n}`, kind: 'network-removed', target: n, deps: [`rmnet:${n}`] });
    }
    if (options.volumes) for (const v of [...options.volumeNames].sort()) ops.push({ id: `rmvol:${v}`, kind: 'remove-volume', target: v, deps: removed });
  }
  return makePlan(ops);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}
