/**
 * The canonical `berth config` shape, as `docker compose config` prints it: compose-go's
 * struct field order, maps sorted by key, durations as Go strings (`1m30s`), byte sizes
 * as decimal strings, `name:` first.
 */
import { emitYaml } from './yaml-emit.js';
import { formatDuration } from './units.js';
import { isRecord } from './path.js';
import type { Project, Service } from './types.js';

type Obj = Record<string, unknown>;
type Kind = 'duration' | 'bytes' | Order;
interface Order {
  readonly keys: readonly string[];
  readonly fields?: Readonly<Record<string, Kind | 'map' | 'list'>>;
  /** Apply to every item of a list / every value of a map. */
  readonly each?: boolean;
}

const o = (keys: string, fields: Order['fields'] = {}, each = false): Order => ({ keys: keys.split(' '), fields, each });

const fileRef = o('source target uid gid mode', {}, true);
const updateConfig = o('parallelism delay failure_action monitor max_failure_ratio order', { delay: 'duration', monitor: 'duration' });
const resource = o('cpus memory pids devices generic_resources', { memory: 'bytes' });
const deploy = o('mode replicas labels update_config rollback_config resources restart_policy placement endpoint_mode', {
  update_config: updateConfig,
  rollback_config: updateConfig,
  resources: o('limits reservations', { limits: resource, reservations: resource }),
  restart_policy: o('condition delay max_attempts window', { delay: 'duration', window: 'duration' }),
  placement: o('constraints preferences max_replicas_per_node'),
});
const build = o(
  'context dockerfile dockerfile_inline entitlements args ssh labels cache_from cache_to no_cache additional_contexts network provenance sbom pull target shm_size extra_hosts isolation privileged secrets tags ulimits platforms',
  { shm_size: 'bytes', secrets: fileRef },
);
const volumeMount = o(
  'type source target read_only consistency bind volume tmpfs image',
  {
    bind: o('selinux propagation create_host_path recursive'),
    volume: o('labels nocopy subpath'),
    tmpfs: o('size mode', { size: 'bytes' }),
  },
  true,
);
const SERVICE_KEYS =
  'profiles annotations attach build develop blkio_config cap_add cap_drop cgroup_parent cgroup cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpus cpuset cpu_shares command configs container_name credential_spec depends_on deploy device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint provider environment env_file expose external_links extra_hosts group_add gpus hostname healthcheck image init ipc isolation labels links logging mem_limit mem_reservation memswap_limit mem_swappiness mac_address models network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports privileged pull_policy read_only restart runtime scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir post_start pre_stop pre_start';
const service = o(SERVICE_KEYS, {
  build,
  configs: fileRef,
  secrets: fileRef,
  depends_on: o('condition restart required', {}, true),
  deploy,
  devices: o('source target permissions', {}, true),
  healthcheck: o('test timeout interval retries start_period start_interval disable', {
    timeout: 'duration',
    interval: 'duration',
    start_period: 'duration',
    start_interval: 'duration',
  }),
  logging: o('driver options'),
  networks: o('aliases driver_opts gw_priority interface_name ipv4_address ipv6_address link_local_ips mac_address priority', {}, true),
  ports: o('name mode host_ip target published protocol app_protocol', {}, true),
  volumes: volumeMount,
  mem_limit: 'bytes',
  mem_reservation: 'bytes',
  memswap_limit: 'bytes',
  shm_size: 'bytes',
  stop_grace_period: 'duration',
  ulimits: o('single soft hard', {}, true),
  develop: o('watch', { watch: o('path action target exec include ignore initial_sync', {}, true) }),
  post_start: o('command user privileged working_dir environment', {}, true),
  pre_stop: o('command user privileged working_dir environment', {}, true),
});
const network = o('name driver driver_opts ipam external internal attachable labels enable_ipv4 enable_ipv6', {
  ipam: o('driver config options', { config: o('subnet gateway ip_range aux_addresses', {}, true) }),
});
const volume = o('name driver driver_opts external labels');
const secret = o('name file environment content external labels driver driver_opts template_driver');

/** The project as plain, ordered data (insertion order is output order). */
export function toCanonical(project: Project, format: 'yaml' | 'json' = 'yaml'): Obj {
  const out: Obj = { name: project.name };
  const services: Obj = {};
  for (const name of Object.keys(project.services).sort()) services[name] = serviceData(project.services[name]!, format);
  out.services = services;
  const group = (all: Readonly<Record<string, object>>, order: Order): Obj | undefined => {
    const names = Object.keys(all).sort();
    if (names.length === 0) return undefined;
    return Object.fromEntries(names.map((n) => [n, withExtensions(shape(all[n], order), all[n] as Obj)]));
  };
  const networks = group(project.networks, network);
  if (networks) out.networks = networks;
  const volumes = group(project.volumes, volume);
  if (volumes) out.volumes = volumes;
  const secrets = group(project.secrets, secret);
  if (secrets) out.secrets = secrets;
  const configs = group(project.configs, secret);
  if (configs) out.configs = configs;
  for (const k of Object.keys(project.extensions ?? {}).sort()) out[k] = sortMaps(project.extensions![k]);
  if (format === 'json')
    return Object.fromEntries(
      Object.keys(out)
        .sort()
        .map((k) => [k, out[k]]),
    );
  return out;
}

/** Go struct pointers: printed even when empty (other empty maps/lists are omitted). */
const STRUCTS = new Set(['build', 'develop', 'blkio_config', 'credential_spec', 'deploy', 'healthcheck', 'logging', 'provider']);

/** Plain Go bools with omitempty (init/attach are pointers: false is printed). */
const OMIT_FALSE = new Set(['privileged', 'read_only', 'tty', 'stdin_open', 'oom_kill_disable', 'use_api_socket']);

function serviceData(s: Service, format: 'yaml' | 'json'): Obj {
  const flat: Obj = { ...s, ...(s.other ?? {}) };
  delete flat.name;
  delete flat.other;
  delete flat.extensions;
  if (s.extra_hosts)
    flat.extra_hosts = Object.keys(s.extra_hosts)
      .sort()
      .flatMap((h) => s.extra_hosts![h]!.map((ip) => `${h}=${ip}`));
  if (s.ulimits) {
    flat.ulimits = Object.fromEntries(
      Object.keys(s.ulimits)
        .sort()
        .map((k) => {
          const u = s.ulimits![k]!;
          return [k, u.single !== undefined ? u.single : { soft: u.soft, hard: u.hard }];
        }),
    );
  }
  if (s.depends_on) {
    flat.depends_on = Object.fromEntries(Object.entries(s.depends_on).map(([k, d]) => [k, { condition: d.condition, ...(d.restart ? { restart: true } : {}), required: d.required }]));
  }
  for (const [k, v] of Object.entries(flat)) {
    if (v === false && OMIT_FALSE.has(k)) delete flat[k];
    if (STRUCTS.has(k)) continue;
    if ((Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0)) delete flat[k];
  }
  if (format === 'json') {
    flat.command = s.command ?? null;
    flat.entrypoint = s.entrypoint ?? null;
  }
  return withExtensions(shape(flat, service), s as unknown as Obj);
}

function withExtensions(shaped: unknown, source: Obj): Obj {
  const out = shaped as Obj;
  const ext = isRecord(source.extensions) ? source.extensions : {};
  for (const k of Object.keys(ext).sort()) out[k] = sortMaps(ext[k]);
  return out;
}

function shape(v: unknown, kind: Kind | 'map' | 'list' | undefined): unknown {
  if (v === undefined) return undefined;
  if (kind === 'duration') return typeof v === 'number' ? formatDuration(v) : v;
  if (kind === 'bytes') return typeof v === 'number' ? String(v) : v;
  if (kind === undefined || kind === 'map' || kind === 'list') return sortMaps(v);
  if (kind.each) {
    const item: Order = { ...kind, each: false };
    if (Array.isArray(v)) return v.map((x) => shape(x, item));
    if (isRecord(v))
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, v[k] === null ? null : shape(v[k], item)]),
      );
    return v;
  }
  if (!isRecord(v)) return v;
  const out: Obj = {};
  for (const k of kind.keys) {
    const x = v[k];
    if (x === undefined) continue;
    const field = kind.fields?.[k];
    // Go's omitempty: empty lists and maps disappear; empty structs (`volume: {}`) stay
    if (Array.isArray(x) && x.length === 0) continue;
    if (isRecord(x) && Object.keys(x).length === 0 && !(typeof field === 'object' && !field.each)) continue;
    out[k] = shape(x, field);
  }
  for (const k of Object.keys(v).sort()) if (!kind.keys.includes(k) && v[k] !== undefined && k !== 'extensions') out[k] = sortMaps(v[k]);
  return out;
}

function sortMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortMaps);
  if (isRecord(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortMaps(v[k])]),
    );
  return v;
}

/** `berth config` text: YAML (default) or JSON. */
export function serializeProject(project: Project, format: 'yaml' | 'json' = 'yaml'): string {
  const data = toCanonical(project, format);
  if (format === 'json') return `${JSON.stringify(data, null, 2).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`;
  return emitYaml(data);
}
