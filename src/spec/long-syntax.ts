/**
 * Long syntax for the structured service keys: build, depends_on, ports, volumes,
 * networks, healthcheck, extra_hosts, secrets/configs, deploy.
 */
import { isRecord, joinPath } from './path.js';
import { parsePortSpec, splitHost, splitVolumeSpec } from './short-syntax.js';
import { toBool, toBytes, toDuration, toEnvMap, toList, toNumber, toStringMap, type Fail } from './convert.js';
import type { BuildConfig, Dependency, FileReference, Healthcheck, PortConfig, Service, VolumeMount } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };
type Raw = Record<string, unknown>;

export function buildOf(v: unknown, path: string, fail: Fail): BuildConfig {
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

export function dependsOnOf(v: unknown): Record<string, Dependency> {
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

export function portsOf(v: unknown, path: string, fail: Fail): PortConfig[] {
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

export function volumeOf(v: unknown, path: string, fail: Fail): VolumeMount {
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

export function networksOf(v: unknown): NonNullable<Service['networks']> {
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

export function healthcheckOf(h: Raw, path: string, fail: Fail): Healthcheck {
  const out: Mutable<Healthcheck> = {};
  if (h.test !== undefined) out.test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : toList(h.test);
  for (const k of ['timeout', 'interval', 'start_period', 'start_interval'] as const) {
    if (h[k] !== undefined) out[k] = toDuration(h[k], `${path}.${k}`, fail);
  }
  if (h.retries !== undefined) out.retries = toNumber(h.retries, `${path}.retries`, fail);
  if (h.disable !== undefined) out.disable = toBool(h.disable);
  return out;
}

export function extraHostsOf(v: unknown, path: string, fail: Fail): Record<string, string[]> {
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

export function fileRefs(list: unknown[], defaultDir: string | undefined, path: string, fail: Fail): FileReference[] {
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

export function deployOf(d: Raw, path: string, fail: Fail): Raw {
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
