/**
 * Desired state from a Project: which containers each service should have (replicas,
 * names, config hash), which networks and volumes. Pure.
 */
import type { Project, Service, Dependency } from '../spec/index.js';
import { serviceImageRef } from '../spec/index.js';
import { BerthError } from '../errors.js';
import { configHash } from './config-hash.js';

export interface DesiredContainer {
  readonly name: string;
  readonly service: string;
  readonly number: number;
}

export interface DesiredService {
  readonly name: string;
  readonly replicas: number;
  readonly hash: string;
  readonly image: string;
  readonly dependsOn: Readonly<Record<string, Dependency>>;
  readonly containers: readonly DesiredContainer[];
  /** Network keys the service joins, in order (empty for network_mode host/none/service:). */
  readonly networks: readonly string[];
  /** Named volume keys it mounts. */
  readonly volumes: readonly string[];
  /** Services whose containers must exist before this one is created (volumes_from, network_mode: service:). */
  readonly createAfter: readonly string[];
}

export interface DesiredResource {
  /** Key in the compose file (`default`). */
  readonly key: string;
  /** Real name (`hello_default`). */
  readonly name: string;
  readonly external: boolean;
}

export interface Desired {
  readonly project: string;
  readonly services: readonly DesiredService[];
  /** Every service of the compose file, picked or not, profile enabled or not: its containers are no orphans. */
  readonly known: ReadonlySet<string>;
  readonly networks: readonly DesiredResource[];
  readonly volumes: readonly DesiredResource[];
}

export interface DesiredOptions {
  /** `--scale web=3`. */
  readonly scale?: Readonly<Record<string, number>>;
  /** Services to include (with their dependencies already selected by the caller); empty = all. */
  readonly services?: readonly string[];
}

/** Docker compose's name for replica `n` of `service`. */
export function containerName(project: string, service: Service, n: number): string {
  return service.container_name ?? `${project}-${service.name}-${n}`;
}

export function replicasOf(service: Service, scale?: Readonly<Record<string, number>>): number {
  return scale?.[service.name] ?? service.deploy?.replicas ?? service.scale ?? 1;
}

/** The image a service runs: `image:`, or compose's default name for a built one. */
export function imageOf(project: string, service: Service): string {
  return serviceImageRef(project, service.name, service.image);
}

/** Network keys a service joins (compose: `default` when it lists none and has no network_mode). */
export function serviceNetworks(service: Service): string[] {
  if (service.network_mode !== undefined && service.network_mode !== 'bridge') return [];
  const nets = service.networks ? Object.keys(service.networks) : ['default'];
  // compose orders by priority (desc), then name; berth keeps file order for equal priority
  return nets
    .map((k, i) => ({ k, i, p: service.networks?.[k]?.priority ?? 0 }))
    .sort((a, b) => b.p - a.p || a.i - b.i)
    .map((x) => x.k);
}

export function desiredState(project: Project, options: DesiredOptions = {}): Desired {
  const picked = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const services: DesiredService[] = [];
  // `network_mode: container:NAME` naming a container of this project waits for its service
  const owners = new Map<string, string>();
  for (const [name, svc] of Object.entries(project.services)) {
    for (let n = 1; n <= replicasOf(svc, options.scale); n++) owners.set(containerName(project.name, svc, n), name);
  }
  for (const name of Object.keys(project.services).sort()) {
    if (picked && !picked.has(name)) continue;
    const svc = project.services[name]!;
    const replicas = replicasOf(svc, options.scale);
    if (replicas > 1 && svc.container_name !== undefined) {
      throw new BerthError('engine/scale-container-name', `service ${name}: cannot scale to ${replicas} with container_name "${svc.container_name}"`, {
        hint: 'remove container_name to run several replicas',
      });
    }
    if (svc.hostname !== undefined && (svc.network_mode?.startsWith('service:') || svc.network_mode?.startsWith('container:'))) {
      // Docker refuses the pair at create ("conflicting options: hostname and the network mode")
      throw new BerthError('engine/hostname-network-mode', `service ${name}: conflicting options: hostname and network_mode ${svc.network_mode}`, {
        hint: `a container joining another's network uses its hostname: remove hostname from service ${name}`,
      });
    }
    const containers: DesiredContainer[] = [];
    for (let n = 1; n <= replicas; n++) containers.push({ name: containerName(project.name, svc, n), service: name, number: n });
    services.push({
      name,
      replicas,
      hash: configHash(svc),
      image: imageOf(project.name, svc),
      dependsOn: svc.depends_on ?? {},
      containers,
      networks: serviceNetworks(svc),
      volumes: (svc.volumes ?? []).filter((v) => v.type === 'volume' && v.source !== undefined).map((v) => v.source!),
      createAfter: createAfterOf(svc, owners),
    });
  }
  const usedNets = new Set(services.flatMap((s) => s.networks));
  const usedVols = new Set(services.flatMap((s) => s.volumes));
  const networks = [...usedNets].sort().map((key) => {
    const n = project.networks[key];
    return { key, name: n?.name ?? `${project.name}_${key}`, external: n?.external === true };
  });
  const volumes = Object.keys(project.volumes)
    .filter((k) => usedVols.has(k))
    .sort()
    .map((key) => {
      const v = project.volumes[key]!;
      return { key, name: v.name, external: v.external === true };
    });
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
  return { project: project.name, services, known, networks, volumes };
}

/**
 * volumes_from and network_mode/ipc/pid `service:X` need X's container before this one is
 * created; so does `container:NAME` when NAME is a container of service X (`owners`).
 */
export function createAfterOf(service: Service, owners: ReadonlyMap<string, string> = new Map()): string[] {
  const out = new Set<string>();
  for (const v of service.volumes_from ?? []) {
    const [first, second] = v.split(':');
    if (first === 'container') continue;
    if (first) out.add(first === 'service' && second ? second : first);
  }
  for (const mode of [service.network_mode, service.ipc, service.pid]) {
    if (mode?.startsWith('service:')) out.add(mode.slice('service:'.length));
    const owner = mode?.startsWith('container:') ? owners.get(mode.slice('container:'.length)) : undefined;
    if (owner !== undefined && owner !== service.name) out.add(owner);
  }
  return [...out].sort();
}
