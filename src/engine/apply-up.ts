/**
 * execute for up/create: runs each plan operation against the seams. Resources are
 * recorded in the state before and after they are made.
 */
import type { Project, Service, VolumeMount } from '../spec/index.js';
import type { LocalImage } from '../image/index.js';
import type { NetworkConfig, NetworkRecord } from '../network/index.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import type { NetworkOp, Operation } from './plan-types.js';
import type { StateStore } from './state-store.js';
import type { Desired } from './desired.js';
import { buildContainerSpec } from './container-spec.js';
import { beginCreate, newContainerId, type Creation, readSpec, removeContainer, restartFromSpec, startCreated, type StoredSpec } from './container-ops.js';
import { ensureVolume, initialiseVolume, volumeDataDir, checkVolumeSubpath, readVolume, removeAnonymousVolumes } from './volumes.js';
import { components } from '../util/safe-path/index.js';
import { fileMounts, volumesFromMounts } from './files.js';
import { storeFor } from './observe.js';
import type { MountConfig } from '../runtime/index.js';
import { resolveGroupAdd, resolveUserSpec, withGroupAdd } from './user.js';
import { serviceHooks } from './hooks.js';
import { applyWait } from './waits.js';
import { waitListening } from './readiness.js';
import { waitDnsServing } from './dns-ready.js';
import { readRunStatus } from './run-status.js';
import { serviceNetworks } from './desired.js';
import { Labels } from '../api/index.js';
import { joinedNetwork } from './network-mode.js';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { createHash } = process.getBuiltinModule('node:crypto');
const { join } = process.getBuiltinModule('node:path');

export interface UpRun {
  readonly ctx: EngineContext;
  readonly project: Project;
  readonly desired: Desired;
  readonly store: StateStore;
  readonly images: ReadonlyMap<string, LocalImage>;
  /** Existing containers by name (id, status) at plan time. */
  readonly existing: ReadonlyMap<string, { id: string; service: string }>;
  readonly healthchecked: ReadonlySet<string>;
  readonly timeoutMs?: number;
  readonly renewAnonVolumes?: boolean;
  readonly signal?: AbortSignal;
  readonly waitDeadline?: number;
  /** Services whose `started` waits for their TCP ports to listen (readiness.ts), and the bound. */
  readonly readiness?: { readonly boundMs: number; readonly ports: ReadonlyMap<string, readonly number[]> };
  /** Container ids by name, filled as containers are created. */
  readonly ids: Map<string, string>;
  /** Networks being made, by name (startNetwork). */
  readonly networks: Map<string, StartedNetwork>;
  /** Containers created up to their sync point, waiting for their `attach` operation, by name. */
  readonly creations: Map<string, Creation>;
}

/** What the network operations need (they may run before the rest of the plan is drawn). */
export type NetworkRun = Pick<UpRun, 'ctx' | 'project' | 'store' | 'networks'>;

/**
 * A network being made: `recorded` once its record (subnet, gateway) exists, `bridged` once
 * its bridge is up, `ready` once its firewall rules are in place too. A create-network op is
 * done at `recorded`; a container waits for `bridged` only at its attach (its namespaces and
 * rootfs are set up meanwhile) and for `ready` before it is started.
 */
export interface StartedNetwork {
  readonly recorded: Promise<void>;
  readonly bridged: Promise<void>;
  readonly ready: Promise<void>;
}

export interface EarlyNetworks {
  readonly store: StateStore;
  /** Networks that existed before (the plan's view). */
  readonly existing: readonly NetworkRecord[];
  /** Started here, by name. */
  readonly started: Map<string, StartedNetwork>;
}

/** Starts every missing, non-external network of `services` (startNetwork), with `store`. */
export async function startMissingNetworks(ctx: EngineContext, store: StateStore, project: Project, services: readonly Service[]): Promise<EarlyNetworks> {
  const existing = await ctx.ports.network.listNetworks();
  const have = new Set(existing.map((n) => n.name));
  const started = new Map<string, StartedNetwork>();
  for (const key of new Set(services.flatMap((s) => serviceNetworks(s)))) {
    const cfg = networkConfig(project, key);
    if (cfg.external || have.has(cfg.name) || started.has(cfg.name)) continue;
    started.set(cfg.name, startNetwork(ctx, store, project, key));
  }
  return { store, existing, started };
}

/** Waits until every started network is done (or failed); never throws. */
export async function networksSettled(early: EarlyNetworks): Promise<unknown[]> {
  return (await Promise.allSettled([...early.started.values()].map((n) => n.ready))).flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
}

/** Starts making network `key` of the project (state written first); see StartedNetwork. */
export function startNetwork(ctx: EngineContext, store: StateStore, project: Project, key: string): StartedNetwork {
  const cfg = networkConfig(project, key);
  store.setResource('networks', key, { key, name: cfg.name, external: false, phase: 'creating' });
  emit(ctx, { kind: 'network', action: 'creating', project: project.name, network: cfg.name });
  let onRecorded = (): void => undefined;
  let onBridged = (): void => undefined;
  const recorded = new Promise<void>((resolve) => (onRecorded = resolve));
  const bridged = new Promise<void>((resolve) => (onBridged = resolve));
  const ready = ctx.ports.network.ensureNetwork(cfg, { onRecorded, onBridged }).then(() => {
    store.setResource('networks', key, { key, name: cfg.name, external: false, phase: 'created' });
    emit(ctx, { kind: 'network', action: 'created', project: project.name, network: cfg.name });
  });
  ready.catch(() => undefined); // reported by the attaches waiting for it and by up itself
  const started = { recorded: Promise.race([recorded, ready]), bridged: Promise.race([bridged, ready]), ready };
  // a failure reaches whoever awaits these; unawaited (up failed earlier) it must not crash the process
  started.recorded.catch(() => undefined);
  started.bridged.catch(() => undefined);
  return started;
}

export function networkConfig(project: Project, key: string): NetworkConfig {
  const n = project.networks[key];
  const pool = n?.ipam?.config?.[0];
  const mtu = n?.driver_opts?.['com.docker.network.driver.mtu'];
  const bridge = n?.driver_opts?.['com.docker.network.bridge.name'];
  return {
    name: n?.name ?? `${project.name}_${key}`,
    project: project.name,
    ...(n?.external ? { external: true } : {}),
    ...(n?.internal ? { internal: true } : {}),
    ...(bridge ? { bridgeName: bridge } : {}),
    ...(mtu ? { mtu: Number(mtu) } : {}),
    ...(pool?.subnet ? { subnet: pool.subnet } : {}),
    ...(pool?.gateway ? { gateway: pool.gateway } : {}),
    ...(pool?.ip_range ? { ipRange: pool.ip_range } : {}),
    labels: { ...(n?.labels ?? {}), [Labels.project]: project.name, [Labels.network]: key },
  };
}

/** Anonymous volumes get a stable name per container and mount point (kept across recreate). */
export function anonymousVolumeName(container: string, target: string): string {
  return `${container}_anon_${createHash('sha256').update(target).digest('hex').slice(0, 12)}`;
}

function readEnvFiles(service: Service): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of service.env_file ?? []) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (err) {
      if (!f.required) continue;
      throw new BerthError('engine/env-file', `service ${service.name}: cannot read env_file ${f.path}`, { cause: err });
    }
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const i = t.indexOf('=');
      if (i <= 0) continue;
      let v = t.slice(i + 1);
      if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
      out[t.slice(0, i).replace(/^export\s+/, '')] = v;
    }
  }
  return out;
}

/** Builds and stores the spec of one replica (also used by `run` for one-off containers). */
export async function prepareSpec(
  run: Pick<UpRun, 'ctx' | 'project' | 'images' | 'ids'>,
  service: Service,
  name: string,
  number: number,
  hash: string,
  extra: { oneoff?: boolean; useAliases?: boolean; override?: Parameters<typeof buildContainerSpec>[4]['override']; id?: string } = {},
): Promise<StoredSpec> {
  const { ctx, project } = run;
  const image = run.images.get(service.name);
  if (!image) throw new BerthError('engine/no-image', `service ${service.name}: image not available`);
  const id = extra.id ?? newContainerId(name);
  const volumeNames = new Map<VolumeMount, string>();
  const subpaths: { readonly dir: string; readonly subpath: string; readonly what: string }[] = [];
  // `volume.subpath` mounts that part of the volume, checked once the volume exists
  const volumeDir = (v: VolumeMount): string => {
    const dir = wholeVolumeDir(v);
    const subpath = v.volume?.subpath;
    if (subpath === undefined) return dir;
    subpaths.push({ dir, subpath, what: `service ${service.name}: volume ${v.source ?? v.target}` });
    return join(dir, ...components(subpath));
  };
  const wholeVolumeDir = (v: VolumeMount): string => {
    const def = v.source !== undefined ? project.volumes[v.source] : undefined;
    const real = v.source !== undefined ? (def?.name ?? v.source) : anonymousVolumeName(name, v.target);
    const opts = def?.driver_opts;
    // local driver, bind style: `type: none, o: bind, device: /path`
    if (opts?.device && /(^|,)bind(,|$)/.test(opts.o ?? '')) return opts.device;
    if (def?.external) {
      if (!readVolume(ctx.paths, real)) throw new BerthError('engine/external-volume', `service ${service.name}: external volume ${real} not found`, { hint: `create it first` });
      return volumeDataDir(ctx.paths, real);
    }
    volumeNames.set(v, real);
    return volumeDataDir(ctx.paths, real);
  };
  const volumeMount = (v: VolumeMount): MountConfig | undefined => {
    const opts = v.source !== undefined ? project.volumes[v.source]?.driver_opts : undefined;
    if (opts?.type !== 'tmpfs') return undefined;
    const size = /(?:^|,)size=(\d+)([kmg]?)/i.exec(opts.o ?? '');
    const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(size?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
    return { type: 'tmpfs', target: v.target, ...(size ? { sizeBytes: Number(size[1]) * mult } : {}) };
  };
  const nets = serviceNetworks(service);
  const firstNet = nets[0] !== undefined ? (project.networks[nets[0]]?.name ?? `${project.name}_${nets[0]}`) : undefined;
  const resolvConf = await ctx.ports.network.resolvConf(service.network_mode === 'host' ? undefined : firstNet, {
    ...(service.dns ? { dns: service.dns } : {}),
    ...(service.dns_search ? { dnsSearch: service.dns_search } : {}),
    ...(service.dns_opt ? { dnsOptions: service.dns_opt } : {}),
  });
  const joined = await joinedNetwork(ctx, project, service);
  const user = withGroupAdd(
    resolveUserSpec(extra.override?.user ?? service.user ?? image.config.User, image.layerDirs, service.name),
    resolveGroupAdd(service.group_add ?? [], image.layerDirs, service.name),
  );
  const store = storeFor(ctx, project.name);
  const extraMounts = [
    ...fileMounts(store, project, service, name, ctx.env),
    ...(service.volumes_from?.length ? volumesFromMounts(store, project, service, await ctx.ports.runtime.list()) : []),
    ...(joined?.mounts ?? []),
  ];
  const built = buildContainerSpec(
    project,
    service,
    image,
    { id, name, number, hash, ...(extra.oneoff ? { oneoff: true } : {}), ...(extra.useAliases ? { useAliases: true } : {}) },
    {
      volumeDir,
      volumeMount,
      extraMounts,
      envFileVars: readEnvFiles(service),
      env: ctx.env,
      resolvConf,
      ...(user ? { user } : {}),
      ...(joined ? { joinNamespaces: joined.namespaces } : {}),
      ...(joined?.hostname ? { hostname: joined.hostname } : {}),
      ...(extra.override ? { override: extra.override } : {}),
    },
  );
  // volumes exist before the container mounts them; named ones are filled from the image once
  for (const [v, real] of volumeNames) {
    const labels = { [Labels.project]: project.name, ...(v.source ? { [Labels.volume]: v.source } : { 'berth.anonymous': 'True' }) };
    if (ensureVolume(ctx.paths, real, project.name, labels)) emit(ctx, { kind: 'volume', action: 'created', project: project.name, volume: real });
    // a subpath mount is not filled from the image (Docker's neither)
    if (!v.volume?.nocopy && v.volume?.subpath === undefined) initialiseVolume(ctx.paths, real, image.layerDirs, v.target);
  }
  for (const { dir, subpath, what } of subpaths) checkVolumeSubpath(dir, subpath, what);
  const hooks = extra.oneoff ? undefined : serviceHooks(service, image.layerDirs);
  return { ...built, ...(hooks ? { hooks } : {}), project: project.name, service: service.name, number, imageId: image.id, ...(extra.oneoff ? { oneoff: true } : {}) };
}

/** The network phases: record (starts making it), bridge, firewall (wait for that phase). */
export async function applyNetworkOp(run: NetworkRun, op: NetworkOp): Promise<void> {
  const { ctx, project, store } = run;
  if (op.kind === 'create-network') {
    const started = startNetwork(ctx, store, project, op.key);
    run.networks.set(op.target, started);
    await started.recorded;
    return;
  }
  const started = run.networks.get(op.target);
  if (!started) throw new BerthError('engine/internal', `network ${op.target}: ${op.kind} before create-network`);
  await (op.kind === 'bridge-network' ? started.bridged : started.ready);
}

/** Lets go of containers whose `attach` never ran (a dependency failed, up was interrupted): torn down. */
export async function abandonCreations(run: UpRun, reason: unknown): Promise<void> {
  const left = [...run.creations.values()];
  run.creations.clear();
  await Promise.all(left.map((c) => c.abandon(reason)));
}

export async function applyUpOp(run: UpRun, op: Operation): Promise<void> {
  const { ctx, project, store } = run;
  switch (op.kind) {
    case 'create-network':
    case 'bridge-network':
    case 'firewall-network':
      return applyNetworkOp(run, op);
    case 'create-volume': {
      const key = op.id.slice('volume:'.length);
      store.setResource('volumes', key, { key, name: op.target, external: false, phase: 'creating' });
      const made = ensureVolume(ctx.paths, op.target, project.name, { [Labels.project]: project.name, [Labels.volume]: key });
      store.setResource('volumes', key, { key, name: op.target, external: false, phase: 'created' });
      if (made) emit(ctx, { kind: 'volume', action: 'created', project: project.name, volume: op.target });
      return;
    }
    case 'create': {
      const service = project.services[op.service!]!;
      const hash = run.desired.services.find((s) => s.name === op.service)!.hash;
      if (run.renewAnonVolumes && op.reason?.startsWith('recreate')) removeAnonymousVolumes(ctx.paths, op.target);
      const spec = await prepareSpec(run, service, op.target, op.number, hash);
      const creation = beginCreate(ctx, store, spec);
      run.creations.set(op.target, creation);
      await creation.paused;
      return;
    }
    case 'attach': {
      const creation = run.creations.get(op.target);
      if (!creation) throw new BerthError('engine/internal', `container ${op.target}: attach before create`);
      run.creations.delete(op.target);
      await creation.attach();
      run.ids.set(op.target, creation.id);
      return;
    }
    case 'start': {
      const id = run.ids.get(op.target) ?? run.existing.get(op.target)?.id;
      if (!id) throw new BerthError('engine/internal', `container ${op.target}: unknown id`);
      run.ids.set(op.target, id);
      const state = await ctx.ports.runtime.state(id);
      const spec = readSpec(store, op.target);
      if (spec)
        await waitDnsServing(
          ctx,
          store,
          spec.attachments.map((a) => a.network),
          { service: spec.service, container: op.target },
          run.signal,
        );
      // a container whose restart failed (kept, exited 128) has no process to release: run it again
      if (state?.status === 'created' && spec && readRunStatus(store, op.target)?.lastError === undefined) await startCreated(ctx, store, spec);
      else await restartFromSpec(ctx, store, op.target);
      return;
    }
    case 'keep': {
      const have = run.existing.get(op.target);
      if (have) run.ids.set(op.target, have.id);
      emit(ctx, { kind: 'container', action: 'running', project: project.name, service: op.service!, container: op.target, ...(have ? { id: have.id } : {}) });
      return;
    }
    case 'remove': {
      const have = run.existing.get(op.target);
      if (!have) return;
      await removeContainer(ctx, store, op.target, have.id, { service: have.service, project: project.name, ...(run.timeoutMs !== undefined ? { timeoutMs: run.timeoutMs } : {}) });
      return;
    }
    case 'wait': {
      const svc = run.desired.services.find((s) => s.name === op.service);
      if (!svc || op.condition === undefined) return;
      const containers = svc.containers.map((c) => ({ name: c.name, id: run.ids.get(c.name) ?? run.existing.get(c.name)?.id ?? '' })).filter((c) => c.id !== '');
      const ports = op.condition === 'started' ? run.readiness?.ports.get(svc.name) : undefined;
      if (ports) await waitListening(ctx, { project: project.name, service: svc.name, containers, ports }, run.readiness!.boundMs, run.signal);
      const waiters = run.desired.services.filter((s) => project.services[s.name]?.depends_on?.[svc.name] !== undefined).map((s) => s.name);
      await applyWait(ctx, store, project.name, { service: svc.name, containers, hasHealthcheck: run.healthchecked.has(svc.name), waiters }, op.condition, run.signal, run.waitDeadline);
      return;
    }
    default:
      throw new BerthError('engine/internal', `unexpected operation ${op.kind} in up`);
  }
}
