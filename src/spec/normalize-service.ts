/**
 * Stage "normalize" for one service: short syntax -> long syntax, units -> numbers,
 * defaults filled in (compose-go `loader/normalize.go` + the types' unmarshalers).
 * `env` resolves bare `KEY` environment entries and env_file expansion.
 */
import { readFileSync } from 'node:fs';
import { parseEnvText } from './find.js';
import { isRecord, joinPath } from './path.js';
import { shellSplit } from './shell-words.js';
import { parseDevice, parsePortSpec, splitHost, splitVolumeSpec } from './short-syntax.js';
import { parseBytes, parseDuration } from './units.js';
import type { BuildConfig, Dependency, FileReference, Healthcheck, PortConfig, Service, VolumeMount } from './types.js';

export type Fail = (path: string, message: string, code?: `spec/${string}`) => never;

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };
type Raw = Record<string, unknown>;

/** Keys copied as they are (already the right type after validation + casts). */
const STRINGS = [
  'image', 'platform', 'container_name', 'hostname', 'domainname', 'user', 'working_dir', 'network_mode', 'ipc', 'pid', 'uts',
  'userns_mode', 'cgroup', 'cgroup_parent', 'restart', 'stop_signal', 'mac_address', 'cpuset', 'runtime', 'isolation',
] as const;
const BOOLS = ['init', 'tty', 'stdin_open', 'read_only', 'privileged', 'oom_kill_disable', 'attach'] as const;
const INTS = ['cpu_shares', 'cpu_quota', 'cpu_period', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_count', 'cpu_percent', 'pids_limit', 'oom_score_adj', 'scale', 'mem_swappiness'] as const;
const LISTS = ['cap_add', 'cap_drop', 'security_opt', 'dns', 'dns_opt', 'dns_search', 'device_cgroup_rules', 'links', 'external_links', 'volumes_from', 'profiles', 'tmpfs'] as const;
const BYTES = ['shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit'] as const;
/** Passed through untouched into `other`. */
const OTHER = ['gpus', 'credential_spec', 'blkio_config', 'storage_opt', 'provider', 'models', 'use_api_socket', 'develop', 'pull_refresh_after'] as const;

export function normalizeService(name: string, raw: Raw, env: Readonly<Record<string, string>>, fail: Fail): Service {
  const P = `services.${name}`;
  const s: Mutable<Service> & Record<string, unknown> = { name };
  for (const k of STRINGS) if (typeof raw[k] === 'string') s[k] = raw[k] as never;
  if (raw.pid === null) delete s.pid;
  for (const k of BOOLS) if (raw[k] !== undefined) s[k] = toBool(raw[k]) as never;
  for (const k of INTS) if (raw[k] !== undefined) s[k] = toNumber(raw[k], joinPath(P, k), fail) as never;
  if (raw.cpus !== undefined) s.cpus = toNumber(raw.cpus, `${P}.cpus`, fail);
  for (const k of LISTS) if (raw[k] !== undefined) s[k] = toList(raw[k]) as never;
  for (const k of BYTES) if (raw[k] !== undefined) s[k] = toBytes(raw[k], joinPath(P, k), fail) as never;
  if (raw.group_add !== undefined) s.group_add = toList(raw.group_add).map(String);
  if (raw.expose !== undefined) s.expose = toList(raw.expose).map(String);
  if (raw.pull_policy !== undefined) s.pull_policy = (raw.pull_policy === 'if_not_present' ? 'missing' : raw.pull_policy) as Service['pull_policy'];
  if (raw.stop_grace_period !== undefined) s.stop_grace_period = toDuration(raw.stop_grace_period, `${P}.stop_grace_period`, fail);

  if ('command' in raw) s.command = toCommand(raw.command, `${P}.command`, fail);
  if ('entrypoint' in raw) s.entrypoint = toCommand(raw.entrypoint, `${P}.entrypoint`, fail);
  s.environment = environmentOf(raw, env, P, fail);
  if (raw.labels !== undefined || raw.label_file !== undefined) s.labels = labelsOf(raw, env, P, fail);
  if (raw.annotations !== undefined) s.annotations = toStringMap(raw.annotations);
  if (raw.sysctls !== undefined) s.sysctls = toStringMap(raw.sysctls);
  if (raw.build !== undefined) s.build = buildOf(raw.build, `${P}.build`, fail);
  if (raw.depends_on !== undefined) s.depends_on = dependsOnOf(raw.depends_on);
  if (raw.ports !== undefined) s.ports = (raw.ports as unknown[]).flatMap((p, i) => portsOf(p, joinPath(`${P}.ports`, i), fail));
  if (raw.volumes !== undefined) s.volumes = (raw.volumes as unknown[]).map((v, i) => volumeOf(v, joinPath(`${P}.volumes`, i), fail));
  if (raw.networks !== undefined) s.networks = networksOf(raw.networks);
  if (raw.healthcheck !== undefined) s.healthcheck = healthcheckOf(raw.healthcheck as Raw, `${P}.healthcheck`, fail);
  if (raw.ulimits !== undefined) {
    s.ulimits = Object.fromEntries(
      Object.entries(raw.ulimits as Raw).map(([k, v]) => [k, isRecord(v) ? { soft: Number(v.soft), hard: Number(v.hard) } : { single: Number(v) }]),
    );
  }
  if (raw.extra_hosts !== undefined) s.extra_hosts = extraHostsOf(raw.extra_hosts, `${P}.extra_hosts`, fail);
  if (raw.devices !== undefined) {
    s.devices = (raw.devices as unknown[]).map((d, i) => {
      if (isRecord(d)) return { source: String(d.source), target: String(d.target ?? d.source), permissions: String(d.permissions ?? 'rwm') };
      try {
        return parseDevice(String(d));
      } catch (err) {
        return fail(joinPath(`${P}.devices`, i), (err as Error).message);
      }
    });
  }
  if (raw.logging !== undefined) {
    const l = raw.logging as Raw;
    s.logging = {
      ...(l.driver !== undefined ? { driver: String(l.driver) } : {}),
      ...(isRecord(l.options) ? { options: toStringMap(l.options) } : {}),
    };
  }
  if (raw.secrets !== undefined) s.secrets = fileRefs(raw.secrets as unknown[], '/run/secrets', `${P}.secrets`, fail);
  if (raw.configs !== undefined) s.configs = fileRefs(raw.configs as unknown[], undefined, `${P}.configs`, fail);
  if (raw.deploy !== undefined && raw.deploy !== null) s.deploy = deployOf(raw.deploy as Raw, `${P}.deploy`, fail) as Service['deploy'];
  for (const hook of ['post_start', 'pre_stop'] as const) {
    if (!Array.isArray(raw[hook])) continue;
    s[hook] = (raw[hook] as Raw[]).map((h, i) => ({
      command: toCommand(h.command, `${P}.${hook}[${i}].command`, fail) ?? [],
      ...(typeof h.user === 'string' ? { user: h.user } : {}),
      ...(h.privileged !== undefined ? { privileged: toBool(h.privileged) } : {}),
      ...(typeof h.working_dir === 'string' ? { working_dir: h.working_dir } : {}),
      ...(h.environment !== undefined ? { environment: toEnvMap(h.environment) } : {}),
    }));
  }
  const other: Raw = {};
  for (const k of OTHER) if (raw[k] !== undefined) other[k] = raw[k];
  if (Object.keys(other).length > 0) s.other = other;
  const ext = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith('x-')));
  if (Object.keys(ext).length > 0) s.extensions = ext;
  if (s.scale !== undefined && s.deploy?.replicas !== undefined && s.scale !== s.deploy.replicas) {
    fail(P, "can't set distinct values on 'scale' and 'deploy.replicas'");
  }
  return s as Service;
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'string') return ['y', 'yes', 'true', 'on', '1', 't'].includes(v.toLowerCase());
  return v === true;
}

function toNumber(v: unknown, path: string, fail: Fail): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (Number.isNaN(n) || String(v).trim() === '') fail(path, `invalid number: ${JSON.stringify(v)}`);
  return n;
}

function toBytes(v: unknown, path: string, fail: Fail): number {
  const n = parseBytes(typeof v === 'number' ? v : String(v));
  if (n === undefined) {
    if (typeof v === 'string' && /^-\d+$/.test(v.trim())) return Number(v);
    return fail(path, `invalid size: ${JSON.stringify(v)}`);
  }
  return n;
}

export function toDuration(v: unknown, path: string, fail: Fail): number {
  const d = typeof v === 'number' ? v * 1e9 : parseDuration(String(v));
  if (d === undefined) return fail(path, `invalid duration: ${JSON.stringify(v)}`);
  return d;
}

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : String(x)));
  if (v === null || v === undefined) return [];
  return [String(v)];
}

function scalar(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/** list_or_dict -> map; `KEY` alone is null (environment) */
export function toEnvMap(v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq === -1) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? null : scalar(x);
  }
  return out;
}

/** labels, sysctls, annotations: `KEY` alone is '' */
export function toStringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(toEnvMap(v)).map(([k, x]) => [k, x ?? '']));
}

function toCommand(v: unknown, path: string, fail: Fail): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String);
  try {
    return shellSplit(String(v));
  } catch (err) {
    return fail(path, (err as Error).message);
  }
}

function readEnvFile(path: string, env: Readonly<Record<string, string>>): Record<string, string> {
  return parseEnvText(readFileSync(path, 'utf8'), path, (k) => env[k]);
}

function environmentOf(raw: Raw, env: Readonly<Record<string, string>>, P: string, fail: Fail): Record<string, string | null> {
  const fromFiles: Record<string, string> = {};
  const own = toEnvMap(raw.environment);
  for (const [k, v] of Object.entries(own)) if (v === null && env[k] !== undefined) own[k] = env[k]!;
  const ownSet = Object.fromEntries(Object.entries(own).filter((e): e is [string, string] => e[1] !== null));
  const files = raw.env_file === undefined ? [] : Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
  files.forEach((f, i) => {
    const path = isRecord(f) ? String(f.path) : String(f);
    const required = isRecord(f) && f.required !== undefined ? toBool(f.required) : true;
    try {
      // lookups inside env files: the project environment first, then the service's own
      Object.assign(fromFiles, readEnvFile(path, { ...fromFiles, ...ownSet, ...env }));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'EISDIR') {
        if (!required) return;
        fail(joinPath(`${P}.env_file`, i), `env file ${path} not found`, 'spec/env-file');
      }
      throw err;
    }
  });
  return { ...fromFiles, ...own };
}

function labelsOf(raw: Raw, env: Readonly<Record<string, string>>, P: string, fail: Fail): Record<string, string> {
  const out: Record<string, string> = {};
  const files = raw.label_file === undefined ? [] : Array.isArray(raw.label_file) ? raw.label_file : [raw.label_file];
  files.forEach((f, i) => {
    try {
      Object.assign(out, readEnvFile(String(f), env));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') fail(joinPath(`${P}.label_file`, i), `label file ${String(f)} not found`, 'spec/label-file');
      throw err;
    }
  });
  return { ...out, ...toStringMap(raw.labels) };
}

function buildOf(v: unknown, path: string, fail: Fail): BuildConfig {
  const b = (typeof v === 'string' ? { context: v } : v) as Raw;
  const out: Mutable<BuildConfig> & Raw = { context: String(b.context ?? '.') };
  if (typeof b.dockerfile === 'string') out.dockerfile = b.dockerfile;
  else if (b.dockerfile_inline === undefined) out.dockerfile = 'Dockerfile';
  if (typeof b.dockerfile_inline === 'string') out.dockerfile_inline = b.dockerfile_inline;
  if (b.args !== undefined) out.args = toEnvMap(b.args);
  if (b.ssh !== undefined) out.ssh = Array.isArray(b.ssh) ? b.ssh.map(String) : Object.entries(toEnvMap(b.ssh)).map(([k, x]) => (x ? `${k}=${x}` : k));
  if (b.labels !== undefined) out.labels = toStringMap(b.labels);
  for (const k of ['cache_from', 'cache_to', 'tags', 'platforms'] as const) if (b[k] !== undefined) out[k] = toList(b[k]);
  if (b.no_cache !== undefined) out.no_cache = toBool(b.no_cache);
  if (b.pull !== undefined) out.pull = toBool(b.pull);
  if (b.additional_contexts !== undefined) out.additional_contexts = toStringMap(b.additional_contexts);
  if (typeof b.network === 'string') out.network = b.network;
  if (typeof b.target === 'string') out.target = b.target;
  if (b.shm_size !== undefined) out.shm_size = toBytes(b.shm_size, `${path}.shm_size`, fail);
  if (b.extra_hosts !== undefined) out.extra_hosts = extraHostsOf(b.extra_hosts, `${path}.extra_hosts`, fail);
  if (b.secrets !== undefined) out.secrets = fileRefs(b.secrets as unknown[], '/run/secrets', `${path}.secrets`, fail);
  const other: Raw = {};
  for (const k of ['entitlements', 'provenance', 'sbom', 'isolation', 'privileged', 'ulimits'] as const) if (b[k] !== undefined) other[k] = b[k];
  if (Object.keys(other).length > 0) out.other = other;
  return out as BuildConfig;
}

function dependsOnOf(v: unknown): Record<string, Dependency> {
  if (Array.isArray(v)) return Object.fromEntries(v.map((n) => [String(n), { condition: 'service_started', restart: false, required: true }]));
  return Object.fromEntries(
    Object.entries(v as Record<string, Raw>).map(([n, d]) => [
      n,
      {
        condition: (d?.condition ?? 'service_started') as Dependency['condition'],
        restart: toBool(d?.restart),
        required: d?.required === undefined ? true : toBool(d.required),
      },
    ]),
  );
}

function portsOf(v: unknown, path: string, fail: Fail): PortConfig[] {
  if (!isRecord(v)) {
    try {
      return parsePortSpec(String(v));
    } catch (err) {
      return fail(path, `invalid port ${JSON.stringify(v)}: ${(err as Error).message}`);
    }
  }
  if (v.target === undefined) fail(path, 'missing target in port mapping');
  const target = Number(v.target);
  if (!Number.isInteger(target) || target < 0 || target > 65535) fail(`${path}.target`, `invalid port target ${JSON.stringify(v.target)}`);
  const out: Mutable<PortConfig> = { mode: String(v.mode ?? 'ingress') };
  if (typeof v.name === 'string') out.name = v.name;
  if (typeof v.host_ip === 'string' && v.host_ip !== '') out.host_ip = v.host_ip;
  out.target = target;
  if (v.published !== undefined && v.published !== '') out.published = String(v.published);
  out.protocol = String(v.protocol ?? 'tcp');
  if (typeof v.app_protocol === 'string') out.app_protocol = v.app_protocol;
  return [out as PortConfig];
}

function volumeOf(v: unknown, path: string, fail: Fail): VolumeMount {
  if (typeof v === 'string') {
    try {
      return splitVolumeSpec(v) as VolumeMount;
    } catch (err) {
      return fail(path, (err as Error).message);
    }
  }
  const r = v as Raw;
  if (typeof r.target !== 'string' || r.target === '') {
    if (r.type !== 'npipe') fail(path, 'missing target in volume mount');
  }
  const out: Mutable<VolumeMount> & Raw = { type: r.type as VolumeMount['type'] };
  if (typeof r.source === 'string' && r.source !== '') out.source = r.source;
  out.target = String(r.target ?? '');
  if (r.read_only !== undefined && toBool(r.read_only)) out.read_only = true;
  if (typeof r.consistency === 'string') out.consistency = r.consistency;
  if (isRecord(r.bind)) {
    const b = r.bind;
    out.bind = {
      ...(typeof b.propagation === 'string' ? { propagation: b.propagation } : {}),
      create_host_path: b.create_host_path === undefined ? true : toBool(b.create_host_path),
      ...(b.selinux === 'z' || b.selinux === 'Z' ? { selinux: b.selinux } : {}),
    };
  }
  if (isRecord(r.volume)) {
    const x = r.volume;
    out.volume = { ...(x.nocopy !== undefined && toBool(x.nocopy) ? { nocopy: true } : {}), ...(typeof x.subpath === 'string' ? { subpath: x.subpath } : {}) };
  }
  if (isRecord(r.tmpfs)) {
    const t = r.tmpfs;
    out.tmpfs = {
      ...(t.size !== undefined ? { size: toBytes(t.size, `${path}.tmpfs.size`, fail) } : {}),
      ...(t.mode !== undefined ? { mode: typeof t.mode === 'number' ? t.mode : parseInt(String(t.mode), 8) } : {}),
    };
  }
  if (isRecord(r.image) && typeof r.image.subpath === 'string') out.image = { subpath: r.image.subpath };
  return out as VolumeMount;
}

function networksOf(v: unknown): Service['networks'] {
  if (Array.isArray(v)) return Object.fromEntries(v.map((n) => [String(n), null]));
  return Object.fromEntries(
    Object.entries(v as Record<string, Raw | null>).map(([n, c]) => {
      if (!isRecord(c)) return [n, null];
      const out: Raw = {};
      for (const k of ['aliases', 'link_local_ips'] as const) if (c[k] !== undefined) out[k] = toList(c[k]);
      for (const k of ['ipv4_address', 'ipv6_address', 'mac_address', 'interface_name'] as const) if (typeof c[k] === 'string') out[k] = c[k];
      if (c.driver_opts !== undefined) out.driver_opts = toStringMap(c.driver_opts);
      for (const k of ['priority', 'gw_priority'] as const) if (typeof c[k] === 'number') out[k] = c[k];
      return [n, out];
    }),
  );
}

function healthcheckOf(h: Raw, path: string, fail: Fail): Healthcheck {
  const out: Mutable<Healthcheck> = {};
  if (h.test !== undefined) out.test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : toList(h.test);
  for (const k of ['timeout', 'interval', 'start_period', 'start_interval'] as const) {
    if (h[k] !== undefined) out[k] = toDuration(h[k], `${path}.${k}`, fail);
  }
  if (h.retries !== undefined) out.retries = toNumber(h.retries, `${path}.retries`, fail);
  if (h.disable !== undefined) out.disable = toBool(h.disable);
  return out;
}

function extraHostsOf(v: unknown, path: string, fail: Fail): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (host: string, ip: string): void => {
    const ips = (out[host] ??= []);
    if (!ips.includes(ip)) ips.push(ip);
  };
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      try {
        const [h, ip] = splitHost(String(e));
        add(h, ip);
      } catch (err) {
        fail(joinPath(path, i), (err as Error).message);
      }
    });
  } else if (isRecord(v)) {
    for (const [h, ip] of Object.entries(v)) for (const x of Array.isArray(ip) ? ip : [ip]) add(h, String(x));
  }
  return out;
}

function fileRefs(list: unknown[], defaultDir: string | undefined, path: string, fail: Fail): FileReference[] {
  return list.map((e, i) => {
    if (typeof e === 'string') return { source: e, ...(defaultDir ? { target: `${defaultDir}/${e}` } : {}) };
    const r = e as Raw;
    const out: Mutable<FileReference> = { source: String(r.source) };
    if (typeof r.target === 'string') out.target = r.target;
    else if (defaultDir) out.target = `${defaultDir}/${String(r.source)}`;
    if (typeof r.uid === 'string') out.uid = r.uid;
    if (typeof r.gid === 'string') out.gid = r.gid;
    if (r.mode !== undefined) {
      const m = typeof r.mode === 'number' ? r.mode : parseInt(String(r.mode), 8);
      if (Number.isNaN(m)) fail(joinPath(path, i), `invalid mode ${JSON.stringify(r.mode)}`);
      out.mode = m;
    }
    return out as FileReference;
  });
}

function deployOf(d: Raw, path: string, fail: Fail): Raw {
  const out: Raw = {};
  if (typeof d.mode === 'string') out.mode = d.mode;
  if (d.replicas !== undefined) out.replicas = Number(d.replicas);
  if (d.labels !== undefined) out.labels = toStringMap(d.labels);
  for (const k of ['update_config', 'rollback_config'] as const) {
    if (!isRecord(d[k])) continue;
    const u = { ...d[k] };
    for (const t of ['delay', 'monitor'] as const) if (u[t] !== undefined) u[t] = toDuration(u[t], `${path}.${k}.${t}`, fail);
    out[k] = u;
  }
  if (isRecord(d.resources)) {
    const res: Raw = {};
    for (const k of ['limits', 'reservations'] as const) {
      const r = d.resources[k];
      if (!isRecord(r)) continue;
      const x: Raw = { ...r };
      if (r.cpus !== undefined) x.cpus = toNumber(r.cpus, `${path}.resources.${k}.cpus`, fail);
      if (r.memory !== undefined) x.memory = toBytes(r.memory, `${path}.resources.${k}.memory`, fail);
      if (r.pids !== undefined) x.pids = toNumber(r.pids, `${path}.resources.${k}.pids`, fail);
      res[k] = x;
    }
    out.resources = res;
  }
  if (isRecord(d.restart_policy)) {
    const r = { ...d.restart_policy };
    for (const t of ['delay', 'window'] as const) if (r[t] !== undefined) r[t] = toDuration(r[t], `${path}.restart_policy.${t}`, fail);
    if (r.max_attempts !== undefined) r.max_attempts = Number(r.max_attempts);
    out.restart_policy = r;
  }
  if (isRecord(d.placement)) out.placement = d.placement;
  if (typeof d.endpoint_mode === 'string') out.endpoint_mode = d.endpoint_mode;
  return out;
}
