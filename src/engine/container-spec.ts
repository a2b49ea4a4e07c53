/**
 * Compose service + image config -> the runtime's ContainerConfig (plus the network
 * attachments and published ports the engine wires around it). Pure: every host lookup
 * (volume dirs, resolv.conf, user ids) is resolved by the caller and passed in.
 */
import type { Project, Service, VolumeMount } from '../spec/index.js';
import { parseBytes, serviceImageRef } from '../spec/index.js';
import type { ImageConfig, LocalImage } from '../image/index.js';
import type { ContainerConfig, MountConfig, NamespacesConfig, ResourcesConfig, Ulimit, UserSpec } from '../runtime/index.js';
import type { AttachmentSpec, PortMapping } from '../network/index.js';
import { BerthError } from '../errors.js';
import { Labels } from '../api/index.js';
import { serviceNetworks } from './desired.js';
import { compareText } from '../util/compare.js';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { posix } = process.getBuiltinModule('node:path');

export interface ContainerIdentity {
  readonly id: string;
  readonly name: string;
  readonly number: number;
  readonly hash: string;
  readonly oneoff?: boolean;
  /** `run --use-aliases`: the one-off container also answers to the service's name and network aliases. */
  readonly useAliases?: boolean;
}

export interface SpecInputs {
  /** Host dir of each named volume (real name -> dir) and of each anonymous volume (target -> dir). */
  readonly volumeDir: (volume: VolumeMount) => string;
  /** A volume mounted otherwise than as its directory (`driver_opts: type: tmpfs`). */
  readonly volumeMount?: (volume: VolumeMount) => MountConfig | undefined;
  /** Extra mounts resolved by the caller: secrets, configs, volumes_from. */
  readonly extraMounts?: readonly MountConfig[];
  /** env_file contents, already read (`KEY=value` pairs in order). */
  readonly envFileVars?: Readonly<Record<string, string>>;
  /** The CLI environment, for `environment: { FOO: null }`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly user?: UserSpec;
  readonly resolvConf?: string;
  readonly hosts?: string;
  /** The host's /etc/hosts, for `network_mode: host` (default: read it). */
  readonly hostFile?: () => string;
  /** Namespaces joined by `network_mode: service:x` etc., already resolved to paths. */
  readonly joinNamespaces?: NamespacesConfig;
  /** The hostname of the container whose network is joined (it wins over the service's, as in Docker). */
  readonly hostname?: string;
  /** `run -e`, `run --entrypoint`, a replacement command (one-off containers). */
  readonly override?: {
    readonly command?: readonly string[];
    readonly entrypoint?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly workdir?: string;
    readonly user?: string;
  };
}

/** Docker's rule: a compose `entrypoint` drops the image's Cmd. */
export function processArgs(service: Pick<Service, 'entrypoint' | 'command'>, image: Pick<ImageConfig, 'Entrypoint' | 'Cmd'>, override?: SpecInputs['override']): string[] {
  const svcEntrypoint = override?.entrypoint ?? service.entrypoint;
  const svcCommand = override?.command ?? service.command;
  let entrypoint: readonly string[];
  let cmd: readonly string[];
  if (svcEntrypoint !== undefined) {
    entrypoint = svcEntrypoint ?? [];
    cmd = svcCommand ?? [];
  } else {
    entrypoint = image.Entrypoint ?? [];
    cmd = svcCommand !== undefined ? (svcCommand ?? []) : (image.Cmd ?? []);
  }
  return [...entrypoint, ...cmd];
}

/** Image Env, then env_file, then `environment` (null = from the CLI environment, dropped when unset). */
export function mergeEnv(
  imageEnv: readonly string[] | undefined,
  fileVars: Readonly<Record<string, string>> | undefined,
  environment: Readonly<Record<string, string | null>>,
  cliEnv: SpecInputs['env'],
  extra?: Readonly<Record<string, string>>,
): string[] {
  const out = new Map<string, string>();
  for (const kv of imageEnv ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  for (const [k, v] of Object.entries(fileVars ?? {})) out.set(k, v);
  for (const [k, v] of Object.entries(environment)) {
    if (v !== null) out.set(k, v);
    else if (cliEnv[k] !== undefined) out.set(k, cliEnv[k]!);
  }
  for (const [k, v] of Object.entries(extra ?? {})) out.set(k, v);
  return [...out].map(([k, v]) => `${k}=${v}`);
}

function tmpfsMount(spec: string): MountConfig {
  const [target = '', opts = ''] = spec.split(':');
  let sizeBytes: number | undefined;
  let mode: number | undefined;
  for (const o of opts.split(',').filter(Boolean)) {
    const [k, v = ''] = o.split('=');
    if (k === 'size') sizeBytes = parseSize(v);
    if (k === 'mode') mode = parseInt(v, 8);
  }
  return { type: 'tmpfs', target, ...(sizeBytes !== undefined ? { sizeBytes } : {}), ...(mode !== undefined ? { mode } : {}) };
}

function parseSize(v: string): number {
  const m = /^(\d+)([kmg]?)b?$/i.exec(v.trim());
  if (!m) return Number(v);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

export function mountsOf(service: Service, image: ImageConfig, inputs: SpecInputs): MountConfig[] {
  const mounts: MountConfig[] = [];
  const targets = new Set<string>();
  for (const v of service.volumes ?? []) {
    targets.add(v.target);
    switch (v.type) {
      case 'bind':
        mounts.push({
          type: 'bind',
          source: v.source ?? '',
          target: v.target,
          ...(v.read_only ? { readOnly: true } : {}),
          ...(v.bind?.propagation ? { propagation: v.bind.propagation as 'rprivate' } : {}),
          createHostPath: v.bind?.create_host_path ?? true,
        });
        break;
      case 'volume': {
        const special = inputs.volumeMount?.(v);
        mounts.push(special ?? { type: 'bind', source: inputs.volumeDir(v), target: v.target, ...(v.read_only ? { readOnly: true } : {}), createHostPath: true });
        break;
      }
      case 'tmpfs':
        mounts.push({ type: 'tmpfs', target: v.target, ...(v.tmpfs?.size ? { sizeBytes: v.tmpfs.size } : {}), ...(v.tmpfs?.mode ? { mode: v.tmpfs.mode } : {}) });
        break;
      default:
        throw new BerthError('engine/unsupported', `service ${service.name}: volume type ${v.type} is not supported`, { details: { target: v.target } });
    }
  }
  // image VOLUMEs not covered by a mount become anonymous volumes (as Docker)
  // (keys cleaned as Docker does; the runtime refuses what is still not absolute, or in /proc, /sys)
  for (const target of Object.keys(image.Volumes ?? {})
    .map(cleanVolumeKey)
    .sort()) {
    if (!targets.has(target)) mounts.push({ type: 'bind', source: inputs.volumeDir({ type: 'volume', target }), target, createHostPath: true });
  }
  for (const t of service.tmpfs ?? []) mounts.push(tmpfsMount(t));
  for (const m of inputs.extraMounts ?? []) if (!mounts.some((x) => x.target === m.target)) mounts.push(m);
  return mounts;
}

export function resourcesOf(service: Service): ResourcesConfig | undefined {
  const limits = service.deploy?.resources?.limits;
  const r: Record<string, number | string> = {};
  const memory = service.mem_limit ?? limits?.memory;
  if (memory) r.memory = memory;
  if (service.memswap_limit) r.memorySwap = service.memswap_limit;
  const reservation = service.mem_reservation ?? service.deploy?.resources?.reservations?.memory;
  if (reservation) r.memoryReservation = reservation;
  const cpus = service.cpus ?? limits?.cpus;
  if (cpus) {
    r.cpuPeriod = 100_000;
    r.cpuQuota = Math.round(cpus * 100_000);
  }
  if (service.cpu_quota) r.cpuQuota = service.cpu_quota;
  if (service.cpu_period) r.cpuPeriod = service.cpu_period;
  if (service.cpu_shares) r.cpuShares = service.cpu_shares;
  if (service.cpuset) r.cpuset = service.cpuset;
  const pids = service.pids_limit ?? limits?.pids;
  if (pids) r.pidsLimit = pids;
  const out: Record<string, unknown> = { ...r, ...blkioOf(service.blkio_config ?? service.other?.blkio_config) };
  if (service.oom_kill_disable) out.oomKillDisable = true;
  if (service.mem_swappiness !== undefined) out.memorySwappiness = service.mem_swappiness;
  return Object.keys(out).length > 0 ? (out as ResourcesConfig) : undefined;
}

/** compose `blkio_config` (weights; throttles in bytes or operations per second, per device path). */
function blkioOf(raw: unknown): Partial<ResourcesConfig> {
  if (typeof raw !== 'object' || raw === null) return {};
  const b = raw as Record<string, unknown>;
  const list = (key: string, field: 'rate' | 'weight', bytes: boolean): { device: string; value: number }[] =>
    (Array.isArray(b[key]) ? (b[key] as Record<string, unknown>[]) : []).map((d) => ({
      device: String(d.path),
      value: bytes ? (parseBytes(d[field] as string | number) ?? Number(d[field])) : Number(d[field]),
    }));
  const out: Record<string, unknown> = {};
  if (b.weight !== undefined) out.blkioWeight = Number(b.weight);
  const lists = {
    blkioWeightDevice: list('weight_device', 'weight', false),
    blkioReadBps: list('device_read_bps', 'rate', true),
    blkioWriteBps: list('device_write_bps', 'rate', true),
    blkioReadIops: list('device_read_iops', 'rate', false),
    blkioWriteIops: list('device_write_iops', 'rate', false),
  };
  for (const [k, v] of Object.entries(lists)) if (v.length > 0) out[k] = v;
  return out as Partial<ResourcesConfig>;
}

function ulimitsOf(service: Service): Ulimit[] | undefined {
  if (!service.ulimits) return undefined;
  return Object.entries(service.ulimits)
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, u]) => ({ name, soft: u.single ?? u.soft ?? 0, hard: u.single ?? u.hard ?? u.soft ?? 0 }));
}

export function namespacesOf(service: Service, join: NamespacesConfig | undefined): NamespacesConfig {
  const ns: { -readonly [K in keyof NamespacesConfig]: NamespacesConfig[K] } = { ...join };
  if (service.network_mode === 'host') ns.net = 'host';
  if (service.pid === 'host') ns.pid = 'host';
  if (service.ipc === 'host') ns.ipc = 'host';
  if (service.uts === 'host') ns.uts = 'host';
  if (service.cgroup === 'host') ns.cgroup = 'host';
  return ns;
}

/** The labels every service container carries (ps/logs/down find it by them). */
export function containerLabels(project: Pick<Project, 'name' | 'workingDir' | 'composeFiles'>, service: Service, who: ContainerIdentity, imageId: string): Record<string, string> {
  const deps = Object.entries(service.depends_on ?? {})
    .map(([d, c]) => `${d}:${c.condition}:${c.restart}:${c.required}`)
    .sort()
    .join(',');
  return {
    ...(service.labels ?? {}),
    [Labels.project]: project.name,
    [Labels.service]: service.name,
    [Labels.containerNumber]: String(who.number),
    [Labels.configHash]: who.hash,
    [Labels.oneoff]: who.oneoff ? 'True' : 'False',
    [Labels.workingDir]: project.workingDir,
    [Labels.configFiles]: project.composeFiles.join(','),
    [Labels.image]: imageId,
    [Labels.imageName]: serviceImageRef(project.name, service.name, service.image),
    [Labels.dependsOn]: deps,
  };
}

export function attachmentsOf(project: Project, service: Service, who: ContainerIdentity): AttachmentSpec[] {
  if (service.network_mode === 'none') return [];
  return serviceNetworks(service).map((key) => {
    const net = service.networks?.[key] ?? undefined;
    const names = who.oneoff
      ? [who.name, ...(who.useAliases ? [service.name, ...(net?.aliases ?? [])] : [])]
      : [service.name, who.name, `${service.name}-${who.number}`, ...(net?.aliases ?? []), ...linkAliases(project, service.name)];
    return {
      network: project.networks[key]?.name ?? `${project.name}_${key}`,
      ...(net?.ipv4_address ? { ipv4Address: net.ipv4_address } : {}),
      ...((net?.mac_address ?? service.mac_address) ? { macAddress: (net?.mac_address ?? service.mac_address)! } : {}),
      ...(net?.interface_name ? { ifname: net.interface_name } : {}),
      names: [...new Set(names)].sort(),
    };
  });
}

/**
 * `links: [db:database]` in any service: `database` names db's containers. Docker shows a
 * link's alias to the linking container only; berth's DNS names it on the shared networks.
 */
export function linkAliases(project: Pick<Project, 'services'>, service: string): string[] {
  return Object.values(project.services).flatMap((s) =>
    (s.links ?? []).flatMap((l) => {
      const [target, alias] = l.split(':');
      return target === service && alias && alias !== service ? [alias] : [];
    }),
  );
}

/** compose `logging` -> the log file's rotation (json-file/local max-size, max-file) or none. */
export function logConfigOf(service: Pick<Service, 'logging'>): Pick<ContainerConfig, 'logMaxBytes' | 'logMaxFiles' | 'noLog'> {
  const l = service.logging;
  if (l?.driver === 'none') return { noLog: true };
  const size = l?.options?.['max-size'] !== undefined ? parseBytes(l.options['max-size']) : undefined;
  const files = l?.options?.['max-file'] !== undefined ? Number(l.options['max-file']) : undefined;
  return { ...(size !== undefined && size > 0 ? { logMaxBytes: size } : {}), ...(files !== undefined && Number.isInteger(files) && files > 0 ? { logMaxFiles: files } : {}) };
}

/** `ports:` long syntax -> mappings, ranges expanded. */
export function portsOf(service: Service): PortMapping[] {
  const out: PortMapping[] = [];
  for (const p of service.ports ?? []) {
    const protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
    const hostIp = p.host_ip ?? '';
    if (p.published === undefined || p.published === '') {
      out.push({ hostIp, hostPort: 0, containerPort: p.target, protocol });
      continue;
    }
    const [lo, hi] = p.published.split('-').map(Number);
    const count = hi !== undefined ? hi - lo! + 1 : 1;
    for (let i = 0; i < count; i++) out.push({ hostIp, hostPort: lo! + i, containerPort: p.target + (count > 1 ? i : 0), protocol });
  }
  return out;
}

export interface BuiltSpec {
  readonly config: ContainerConfig;
  readonly attachments: readonly AttachmentSpec[];
  readonly ports: readonly PortMapping[];
  /** compose `extra_hosts` as `name -> ip` pairs for /etc/hosts (sorted by name). */
  readonly extraHosts?: readonly (readonly [string, string])[];
  /** `post_start` / `pre_stop`, resolved (hooks.ts). */
  readonly hooks?: import('./hooks.js').ServiceHooks;
  /** `deploy.restart_policy` (durations in ms), for the supervisor; it wins over `restart:` as in compose. */
  readonly restartPolicy?: { readonly condition?: string; readonly delayMs?: number; readonly windowMs?: number; readonly maxAttempts?: number };
}

const LOCALHOST_LINES = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

/**
 * /etc/hosts as Docker gives it without a berth network: `network_mode: host` gets the
 * host's file, `none` the localhost lines; both then extra_hosts and the container's
 * hostname (unless the host's file names it already). Undefined for other modes (written
 * at the sync point, with the container's addresses).
 */
export function modeHosts(service: Pick<Service, 'network_mode' | 'extra_hosts'>, hostname: string, hostFile: () => string): string | undefined {
  const mode = service.network_mode;
  if (mode !== 'host' && mode !== 'none') return undefined;
  let text = mode === 'host' ? hostFile() : LOCALHOST_LINES;
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  // host-gateway: the host itself (network_mode host shares its stack; none has no way out)
  for (const [name, ip] of extraHostsOf(service)) if (ip !== 'host-gateway' || mode === 'host') text += `${ip === 'host-gateway' ? '127.0.0.1' : ip}\t${name}\n`;
  const named = text.split('\n').some((l) => !l.trimStart().startsWith('#') && l.split(/\s+/).slice(1).includes(hostname));
  if (!named) text += `${mode === 'host' ? '127.0.1.1' : '127.0.0.1'}\t${hostname}\n`;
  return text;
}

function readHostHosts(): string {
  try {
    return readFileSync('/etc/hosts', 'utf8');
  } catch {
    return LOCALHOST_LINES;
  }
}

export function extraHostsOf(service: Pick<Service, 'extra_hosts'>): [string, string][] {
  return Object.entries(service.extra_hosts ?? {})
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([name, ips]) => ips.map((ip) => [name, ip] as [string, string]));
}

export function buildContainerSpec(project: Project, service: Service, image: LocalImage, who: ContainerIdentity, inputs: SpecInputs): BuiltSpec {
  const ic = image.config;
  const args = processArgs(service, ic, inputs.override);
  if (args.length === 0) {
    throw new BerthError('engine/no-command', `service ${service.name}: no command specified`, { hint: 'set `command:` or `entrypoint:` in the compose file, or use an image with a CMD' });
  }
  const seccompOff = (service.security_opt ?? []).some((o) => /^seccomp[:=]unconfined$/.test(o));
  const noNewPrivsOff = (service.security_opt ?? []).some((o) => /^no-new-privileges[:=]false$/.test(o));
  const stopMs = service.stop_grace_period !== undefined ? Math.round(service.stop_grace_period / 1e6) : undefined;
  const resources = resourcesOf(service);
  const ulimits = ulimitsOf(service);
  const hostname = inputs.hostname ?? service.hostname ?? who.name.slice(0, 63);
  const hosts = inputs.hosts ?? modeHosts(service, hostname, inputs.hostFile ?? readHostHosts);
  const config: ContainerConfig = {
    id: who.id,
    name: who.name,
    rootfs: { lowerDirs: image.layerDirs },
    image: { id: image.id, name: serviceImageRef(project.name, service.name, service.image) },
    process: {
      args,
      env: mergeEnv(ic.Env, inputs.envFileVars, service.environment, inputs.env, inputs.override?.env),
      cwd: inputs.override?.workdir ?? service.working_dir ?? (ic.WorkingDir || '/'),
      ...(inputs.user ? { user: inputs.user } : {}),
      ...(service.tty ? { tty: true } : {}),
      ...(service.stdin_open ? { stdin: true } : {}),
    },
    hostname,
    ...(service.domainname ? { domainname: service.domainname } : {}),
    mounts: mountsOf(service, ic, inputs),
    namespaces: namespacesOf(service, inputs.joinNamespaces),
    initFiles: { ...(hosts !== undefined ? { hosts } : {}), ...(inputs.resolvConf !== undefined ? { resolvConf: inputs.resolvConf } : {}) },
    ...(resources ? { resources } : {}),
    ...(service.cap_add ? { capAdd: service.cap_add } : {}),
    ...(service.cap_drop ? { capDrop: service.cap_drop } : {}),
    ...(service.privileged ? { privileged: true } : {}),
    ...(service.read_only ? { readOnly: true } : {}),
    ...(noNewPrivsOff ? { noNewPrivileges: false } : {}),
    ...(seccompOff ? { seccomp: 'unconfined' as const } : {}),
    ...(ulimits ? { ulimits } : {}),
    ...(service.sysctls ? { sysctls: service.sysctls } : {}),
    ...(service.init ? { init: true } : {}),
    ...((service.stop_signal ?? ic.StopSignal) ? { stopSignal: (service.stop_signal ?? ic.StopSignal)! } : {}),
    ...(stopMs !== undefined ? { stopTimeoutMs: stopMs } : {}),
    ...(service.shm_size ? { shmSizeBytes: service.shm_size } : {}),
    ...(service.devices?.length ? { devices: service.devices.map((d) => ({ hostPath: d.source, containerPath: d.target, permissions: d.permissions })) } : {}),
    ...(service.device_cgroup_rules?.length ? { deviceCgroupRules: service.device_cgroup_rules } : {}),
    ...(service.oom_score_adj !== undefined ? { oomScoreAdj: service.oom_score_adj } : {}),
    ...logConfigOf(service),
    ...(service.annotations && Object.keys(service.annotations).length > 0 ? { annotations: service.annotations } : {}),
    labels: containerLabels(project, service, who, image.id),
  };
  const extraHosts = extraHostsOf(service);
  const restartPolicy = restartPolicyOf(service);
  return { config, attachments: attachmentsOf(project, service, who), ports: portsOf(service), ...(extraHosts.length ? { extraHosts } : {}), ...(restartPolicy ? { restartPolicy } : {}) };
}

function restartPolicyOf(service: Service): BuiltSpec['restartPolicy'] {
  const rp = service.deploy?.restart_policy;
  if (!rp) return undefined;
  return {
    ...(rp.condition !== undefined ? { condition: rp.condition } : {}),
    ...(rp.delay !== undefined ? { delayMs: Math.round(rp.delay / 1e6) } : {}),
    ...(rp.window !== undefined ? { windowMs: Math.round(rp.window / 1e6) } : {}),
    ...(rp.max_attempts !== undefined ? { maxAttempts: rp.max_attempts } : {}),
  };
}

/** An image `Volumes` key as a path: `/data/` and `/a/./b` as Docker cleans them. */
function cleanVolumeKey(key: string): string {
  const clean = posix.normalize(key);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}
