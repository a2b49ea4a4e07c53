/**
 * The compose project as swarm objects (pure): overlay networks, secrets and configs named
 * by content hash, and one ServiceSpec per service, mapped as `docker stack deploy` maps it
 * (docker/cli cli/compose/convert/service.go) so that `docker stack ps/rm` and the
 * differential test see the same services.
 */
import { parseDuration, type Project, type Service } from '../../spec/index.js';
import { fileContent, type ReadFile } from '../content.js';
import { SwarmLabels } from '../labels.js';
const { createHash } = process.getBuiltinModule('node:crypto');

export type Json = Record<string, unknown>;

export interface DesiredNetwork {
  readonly key: string;
  readonly name: string;
  readonly spec: Json;
}

export interface DesiredFile {
  readonly kind: 'secret' | 'config';
  readonly key: string;
  /** `<project>_<key>_<hash12>`: a new content is a new object. */
  readonly name: string;
  readonly hash: string;
  readonly data: Buffer;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DesiredService {
  readonly service: string;
  readonly name: string;
  /** ServiceSpec without the secret/config IDs (filled in once those exist). */
  readonly spec: Json;
  /** Hash of the spec: the `berth.spec-hash` label; equal = nothing to update. */
  readonly hash: string;
  readonly dependsOn: readonly string[];
}

export interface SwarmDesired {
  readonly project: string;
  readonly networks: readonly DesiredNetwork[];
  readonly files: readonly DesiredFile[];
  readonly services: readonly DesiredService[];
}

export const SPEC_HASH_LABEL = 'berth.spec-hash';

export const scope = (project: string, name: string): string => `${project}_${name}`;

const stackLabels = (project: string, labels?: Readonly<Record<string, string>>): Record<string, string> => ({ ...labels, [SwarmLabels.namespace]: project });

const ns = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined);

/** Drops undefined fields (the API's omitempty), so hashes and comparisons see only what is set. */
function clean<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function updateConfig(source: Readonly<Record<string, unknown>> | undefined): Json | undefined {
  if (!source) return undefined;
  return clean({
    Parallelism: typeof source.parallelism === 'number' ? source.parallelism : 1,
    Delay: ns(source.delay),
    FailureAction: source.failure_action,
    Monitor: ns(source.monitor),
    MaxFailureRatio: source.max_failure_ratio,
    Order: source.order,
  });
}

function restartPolicy(service: Service): Json | undefined {
  const rp = service.deploy?.restart_policy;
  if (rp) return clean({ Condition: rp.condition, Delay: rp.delay, MaxAttempts: rp.max_attempts, Window: rp.window });
  const map: Record<string, string> = { always: 'any', 'unless-stopped': 'any', no: 'none' };
  if (service.restart === undefined) return undefined;
  const condition = map[service.restart] ?? (service.restart.startsWith('on-failure') ? 'on-failure' : undefined);
  const attempts = /^on-failure:(\d+)$/.exec(service.restart)?.[1];
  return clean({ Condition: condition, MaxAttempts: attempts === undefined ? undefined : Number(attempts) });
}

function resources(service: Service): Json {
  const lim = service.deploy?.resources?.limits;
  const res = service.deploy?.resources?.reservations;
  const cpus = lim?.cpus ?? service.cpus;
  const memory = lim?.memory ?? service.mem_limit;
  const limits = clean({ NanoCPUs: cpus === undefined ? undefined : Math.round(cpus * 1e9), MemoryBytes: memory, Pids: lim?.pids ?? service.pids_limit });
  const reservations = clean({ NanoCPUs: res?.cpus === undefined ? undefined : Math.round(res.cpus * 1e9), MemoryBytes: res?.memory ?? service.mem_reservation });
  return clean({ Limits: Object.keys(limits).length ? limits : undefined, Reservations: Object.keys(reservations).length ? reservations : undefined });
}

function mounts(project: Project, service: Service): Json[] | undefined {
  const out = (service.volumes ?? []).flatMap((m): Json[] => {
    if (m.type === 'volume') {
      const def = m.source === undefined ? undefined : project.volumes[m.source];
      const source = m.source === undefined ? undefined : def?.external ? def.name : scope(project.name, m.source);
      const options =
        m.source === undefined
          ? undefined
          : clean({
              NoCopy: m.volume?.nocopy,
              Labels: def?.external ? undefined : stackLabels(project.name, def?.labels),
              DriverConfig: def && !def.external && (def.driver !== undefined || def.driver_opts !== undefined) ? clean({ Name: def.driver, Options: def.driver_opts }) : undefined,
            });
      return [clean({ Type: 'volume', Source: source, Target: m.target, ReadOnly: m.read_only, VolumeOptions: options })];
    }
    if (m.type === 'bind') return [clean({ Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.read_only })];
    if (m.type === 'tmpfs') return [clean({ Type: 'tmpfs', Target: m.target, ReadOnly: m.read_only, TmpfsOptions: m.tmpfs ? clean({ SizeBytes: m.tmpfs.size, Mode: m.tmpfs.mode }) : undefined })];
    return [];
  });
  return out.length > 0 ? out : undefined;
}

function healthcheck(service: Service): Json | undefined {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  if (hc.disable) return { Test: ['NONE'] };
  return clean({ Test: hc.test ? [...hc.test] : undefined, Interval: hc.interval, Timeout: hc.timeout, Retries: hc.retries, StartPeriod: hc.start_period, StartInterval: hc.start_interval });
}

function networks(project: Project, service: Service): Json[] {
  const keys = Object.keys(service.networks ?? { default: null });
  return keys
    .map((key) => {
      const def = project.networks[key];
      const target = def?.external ? def.name : scope(project.name, key);
      return clean({ Target: target, Aliases: [service.name, ...(service.networks?.[key]?.aliases ?? [])], DriverOpts: service.networks?.[key]?.driver_opts });
    })
    .sort((a, b) => ((a.Target as string) < (b.Target as string) ? -1 : 1));
}

/** The reference of a secret/config inside the service (the name it is mounted under). */
function fileRefs(project: Project, service: Service, kind: 'secrets' | 'configs', files: readonly DesiredFile[]): Json[] | undefined {
  const refs = (service[kind] ?? []).map((ref) => {
    const file = files.find((f) => f.kind === kind.slice(0, -1) && f.key === ref.source);
    const def = project[kind][ref.source];
    let target = ref.target ?? ref.source;
    if (kind === 'secrets' && target.startsWith('/run/secrets/')) target = target.slice('/run/secrets/'.length);
    if (kind === 'configs' && target === `/${ref.source}`) target = ref.source;
    const name = def?.external ? def.name : (file?.name ?? scope(project.name, ref.source));
    return { File: { Name: target, UID: ref.uid ?? '0', GID: ref.gid ?? '0', Mode: ref.mode ?? 0o444 }, [kind === 'secrets' ? 'SecretName' : 'ConfigName']: name };
  });
  return refs.length > 0 ? refs.sort((a, b) => (a.File.Name < b.File.Name ? -1 : 1)) : undefined;
}

export function serviceSpecOf(project: Project, name: string, files: readonly DesiredFile[], pins: ReadonlyMap<string, string> = new Map()): Json {
  const s = project.services[name]!;
  const env = Object.entries(s.environment)
    .map(([k, v]) => (v === null ? k : `${k}=${v}`))
    .sort();
  const ports = (s.ports ?? [])
    .flatMap((p) => {
      const [from, to] = (p.published ?? '').split('-').map(Number);
      const count = from !== undefined && to !== undefined && !Number.isNaN(to) ? to - from + 1 : 1;
      return Array.from({ length: count }, (_, i) =>
        clean({ Name: p.name, Protocol: p.protocol, TargetPort: p.target + i, PublishedPort: from === undefined || Number.isNaN(from) ? undefined : from + i, PublishMode: p.mode }),
      );
    })
    .sort((a, b) => ((a.PublishedPort as number) ?? 0) - ((b.PublishedPort as number) ?? 0));
  const ulimits = Object.entries(s.ulimits ?? {}).map(([n, u]) => ({ Name: n, Soft: u.single ?? u.soft, Hard: u.single ?? u.hard }));
  const dns = s.dns?.length || s.dns_search?.length || s.dns_opt?.length ? clean({ Nameservers: s.dns, Search: s.dns_search, Options: s.dns_opt }) : undefined;
  const hosts = Object.entries(s.extra_hosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${ip} ${host}`));
  const placement = (s.deploy?.placement ?? {}) as { constraints?: string[]; preferences?: { spread: string }[]; max_replicas_per_node?: number };
  const replicas = s.deploy?.replicas ?? s.scale;
  const container = clean({
    Image: (s.image && pins.get(s.image)) ?? s.image,
    Command: s.entrypoint ?? undefined,
    Args: s.command ?? undefined,
    Hostname: s.hostname,
    Hosts: hosts.length ? hosts : undefined,
    DNSConfig: dns,
    Healthcheck: healthcheck(s),
    Env: env.length ? env : undefined,
    Labels: stackLabels(project.name, s.labels),
    Dir: s.working_dir,
    User: s.user,
    Groups: s.group_add,
    Mounts: mounts(project, s),
    StopGracePeriod: s.stop_grace_period,
    StopSignal: s.stop_signal,
    TTY: s.tty,
    OpenStdin: s.stdin_open,
    ReadOnly: s.read_only,
    // as the docker CLI sends it (its Go struct's nil pointers)
    Privileges: { CredentialSpec: null, SELinuxContext: null },
    Secrets: fileRefs(project, s, 'secrets', files),
    Configs: fileRefs(project, s, 'configs', files),
    Init: s.init,
    Sysctls: s.sysctls,
    CapabilityAdd: s.cap_add,
    CapabilityDrop: s.cap_drop,
    Ulimits: ulimits.length ? ulimits : undefined,
  });
  return clean({
    Name: scope(project.name, name),
    Labels: { ...stackLabels(project.name, s.deploy?.labels), [SwarmLabels.image]: s.image ?? '' },
    TaskTemplate: clean({
      ContainerSpec: container,
      Resources: resources(s),
      RestartPolicy: restartPolicy(s),
      Placement: clean({
        Constraints: placement.constraints,
        Preferences: placement.preferences?.map((p) => ({ Spread: { SpreadDescriptor: p.spread } })),
        MaxReplicas: placement.max_replicas_per_node,
      }),
      LogDriver: s.logging?.driver ? clean({ Name: s.logging.driver, Options: s.logging.options }) : undefined,
      Networks: s.network_mode === undefined ? networks(project, s) : undefined,
    }),
    Mode: s.deploy?.mode === 'global' ? { Global: {} } : { Replicated: clean({ Replicas: replicas }) },
    UpdateConfig: updateConfig(s.deploy?.update_config),
    RollbackConfig: updateConfig(s.deploy?.rollback_config),
    EndpointSpec: clean({ Mode: (s.deploy?.endpoint_mode ?? 'vip').toLowerCase(), Ports: ports.length ? ports : undefined }),
  });
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Every object the project wants in the swarm. */
/** `pins`: image as written -> `image@digest` (deploy --push). */
export function desiredSwarm(project: Project, readFile: ReadFile, pins: ReadonlyMap<string, string> = new Map()): SwarmDesired {
  const names = Object.keys(project.services).sort();
  const used = (kind: 'secrets' | 'configs'): string[] => [...new Set(names.flatMap((n) => (project.services[n]![kind] ?? []).map((r) => r.source)))].sort();
  const files: DesiredFile[] = [];
  for (const kind of ['secrets', 'configs'] as const) {
    for (const key of used(kind)) {
      const data = fileContent(project, kind, key, readFile);
      if (!data) continue; // external
      const hash = sha256(data);
      files.push({
        kind: kind === 'secrets' ? 'secret' : 'config',
        key,
        name: `${scope(project.name, key)}_${hash.slice(0, 12)}`,
        hash,
        data,
        labels: { ...stackLabels(project.name, project[kind][key]?.labels), [SwarmLabels.key]: key, [SwarmLabels.contentHash]: hash },
      });
    }
  }
  const netKeys = [...new Set(names.flatMap((n) => (project.services[n]!.network_mode === undefined ? Object.keys(project.services[n]!.networks ?? { default: null }) : [])))].sort();
  const networks = netKeys
    .filter((k) => !project.networks[k]?.external)
    .map((key) => {
      const def = project.networks[key];
      const driver = def?.driver === undefined || def.driver === 'bridge' ? 'overlay' : def.driver;
      return {
        key,
        name: scope(project.name, key),
        spec: clean({
          Name: scope(project.name, key),
          Driver: driver,
          Scope: 'swarm',
          Options: def?.driver_opts,
          Internal: def?.internal,
          Attachable: def?.attachable,
          Labels: stackLabels(project.name, def?.labels),
          IPAM: def?.ipam?.config?.length
            ? { Driver: def.ipam.driver ?? 'default', Config: def.ipam.config.map((c) => clean({ Subnet: c.subnet, IPRange: c.ip_range, Gateway: c.gateway })) }
            : undefined,
        }),
      };
    });
  const services = names.map((n) => {
    const spec = serviceSpecOf(project, n, files, pins);
    const hash = sha256(JSON.stringify(spec)).slice(0, 32);
    const labelled = { ...spec, Labels: { ...(spec.Labels as Record<string, string>), [SPEC_HASH_LABEL]: hash } };
    const dependsOn = Object.keys(project.services[n]!.depends_on ?? {})
      .filter((d) => project.services[d] !== undefined)
      .sort();
    return { service: n, name: scope(project.name, n), spec: labelled, hash, dependsOn };
  });
  return { project: project.name, networks, files, services };
}
