/**
 * Stage "normalize" for one service: short syntax -> long syntax, units -> numbers,
 * defaults filled in (compose-go `loader/normalize.go` + the types' unmarshalers).
 * `env` resolves bare `KEY` environment entries and env_file expansion.
 */
import { parseEnvText } from './find.js';
import { isRecord, joinPath } from './path.js';
import { parseDevice } from './short-syntax.js';
import { toBool, toBytes, toCommand, toDuration, toEnvMap, toList, toNumber, toStringMap, type Fail } from './convert.js';
import { buildOf, dependsOnOf, deployOf, extraHostsOf, fileRefs, healthcheckOf, networksOf, portsOf, volumeOf } from './long-syntax.js';
import type { Develop, Service, ServiceHook, WatchRule } from './types.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

export { toBool, toStringMap, type Fail } from './convert.js';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };
type Raw = Record<string, unknown>;

/** Keys copied as they are (already the right type after validation + casts). */
const STRINGS = [
  'image',
  'platform',
  'container_name',
  'hostname',
  'domainname',
  'user',
  'working_dir',
  'network_mode',
  'ipc',
  'pid',
  'uts',
  'userns_mode',
  'cgroup',
  'cgroup_parent',
  'restart',
  'stop_signal',
  'mac_address',
  'cpuset',
  'runtime',
  'isolation',
] as const;
const BOOLS = ['init', 'tty', 'stdin_open', 'read_only', 'privileged', 'oom_kill_disable', 'attach'] as const;
const INTS = ['cpu_shares', 'cpu_quota', 'cpu_period', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_count', 'cpu_percent', 'pids_limit', 'oom_score_adj', 'scale', 'mem_swappiness'] as const;
const LISTS = ['cap_add', 'cap_drop', 'security_opt', 'dns', 'dns_opt', 'dns_search', 'device_cgroup_rules', 'links', 'external_links', 'volumes_from', 'profiles', 'tmpfs'] as const;
const BYTES = ['shm_size', 'mem_limit', 'mem_reservation', 'memswap_limit'] as const;
/** Passed through untouched into `other`. */
const OTHER = ['gpus', 'credential_spec', 'blkio_config', 'storage_opt', 'provider', 'models', 'use_api_socket', 'pull_refresh_after', 'pre_start'] as const;

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
  if (raw.pull_policy !== undefined) s.pull_policy = (raw.pull_policy === 'if_not_present' ? 'missing' : raw.pull_policy) as NonNullable<Service['pull_policy']>;
  if (raw.stop_grace_period !== undefined) s.stop_grace_period = toDuration(raw.stop_grace_period, `${P}.stop_grace_period`, fail);

  if ('command' in raw) s.command = toCommand(raw.command, `${P}.command`, fail);
  if ('entrypoint' in raw) s.entrypoint = toCommand(raw.entrypoint, `${P}.entrypoint`, fail);
  s.environment = environmentOf(raw, env, P, fail);
  if (raw.labels !== undefined || raw.label_file !== undefined) s.labels = labelsOf(raw, P, fail);
  if (raw.annotations !== undefined) s.annotations = toStringMap(raw.annotations);
  if (raw.sysctls !== undefined) s.sysctls = toStringMap(raw.sysctls);
  if (raw.build !== undefined) s.build = buildOf(raw.build, `${P}.build`, fail);
  if (raw.depends_on !== undefined) s.depends_on = dependsOnOf(raw.depends_on);
  if (raw.ports !== undefined) s.ports = (raw.ports as unknown[]).flatMap((p, i) => portsOf(p, joinPath(`${P}.ports`, i), fail));
  if (raw.volumes !== undefined) s.volumes = (raw.volumes as unknown[]).map((v, i) => volumeOf(v, joinPath(`${P}.volumes`, i), fail));
  if (raw.networks !== undefined) s.networks = networksOf(raw.networks);
  if (raw.healthcheck !== undefined) s.healthcheck = healthcheckOf(raw.healthcheck as Raw, `${P}.healthcheck`, fail);
  if (raw.ulimits !== undefined) {
    s.ulimits = Object.fromEntries(Object.entries(raw.ulimits as Raw).map(([k, v]) => [k, isRecord(v) ? { soft: Number(v.soft), hard: Number(v.hard) } : { single: Number(v) }]));
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
  if (raw.deploy !== undefined && raw.deploy !== null) s.deploy = deployOf(raw.deploy as Raw, `${P}.deploy`, fail) as NonNullable<Service['deploy']>;
  for (const hook of ['post_start', 'pre_stop'] as const) {
    if (!Array.isArray(raw[hook])) continue;
    s[hook] = (raw[hook] as Raw[]).map((h, i) => hookOf(h, `${P}.${hook}[${i}]`, fail));
  }
  if (isRecord(raw.develop)) s.develop = developOf(raw.develop, `${P}.develop`, fail);
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

function readEnvFile(path: string, env: Readonly<Record<string, string>>, format: 'raw' | undefined, earlier: Readonly<Record<string, string>>): Record<string, string> {
  return parseEnvText(readFileSync(path, 'utf8'), path, (k) => env[k], format, earlier);
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
    const format = isRecord(f) && f.format !== undefined ? String(f.format) : undefined;
    // compose's formats: the default (dotenv) and `raw` (docker run --env-file's rules)
    if (format !== undefined && format !== 'raw') fail(joinPath(joinPath(`${P}.env_file`, i), 'format'), `unsupported env_file format "${format}" (compose knows "raw")`, 'spec/env-file');
    try {
      // lookups inside env files: the project environment first, then the service's own,
      // then what the files read so far set (compose-go WithServicesEnvironmentResolved)
      Object.assign(fromFiles, readEnvFile(path, { ...ownSet, ...env }, format, fromFiles));
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

/** label_file: `${VAR}` sees only the labels of the files read before (compose-go WithServicesLabelsResolved). */
function labelsOf(raw: Raw, P: string, fail: Fail): Record<string, string> {
  const out: Record<string, string> = {};
  const files = raw.label_file === undefined ? [] : Array.isArray(raw.label_file) ? raw.label_file : [raw.label_file];
  files.forEach((f, i) => {
    try {
      Object.assign(out, readEnvFile(String(f), {}, undefined, out));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') fail(joinPath(`${P}.label_file`, i), `label file ${String(f)} not found`, 'spec/label-file');
      throw err;
    }
  });
  return { ...out, ...toStringMap(raw.labels) };
}

function hookOf(h: Raw, path: string, fail: Fail): ServiceHook {
  return {
    command: toCommand(h.command, `${path}.command`, fail) ?? [],
    ...(typeof h.user === 'string' ? { user: h.user } : {}),
    ...(h.privileged !== undefined ? { privileged: toBool(h.privileged) } : {}),
    ...(typeof h.working_dir === 'string' ? { working_dir: h.working_dir } : {}),
    ...(h.environment !== undefined ? { environment: toEnvMap(h.environment) } : {}),
  };
}

function developOf(d: Raw, path: string, fail: Fail): Develop {
  if (!Array.isArray(d.watch)) return {};
  return {
    watch: (d.watch as Raw[]).map((w, i): WatchRule => ({
      path: String(w.path),
      action: w.action as WatchRule['action'],
      ...(typeof w.target === 'string' ? { target: w.target } : {}),
      ...(w.exec !== undefined ? { exec: hookOf(w.exec as Raw, `${path}.watch[${i}].exec`, fail) } : {}),
      ...(w.include !== undefined ? { include: toList(w.include) } : {}),
      ...(w.ignore !== undefined ? { ignore: toList(w.ignore) } : {}),
      ...(w.initial_sync !== undefined ? { initial_sync: toBool(w.initial_sync) } : {}),
    })),
  };
}
