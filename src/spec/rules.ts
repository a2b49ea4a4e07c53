/**
 * The shape rules of a compose file, as data (what keys exist, what types they take).
 * Written for berth from the Compose Specification; `validate.ts` applies them.
 */

export type Prim = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

export type Rule =
  | { readonly kind: 'any' }
  | { readonly kind: 'prim'; readonly types: readonly Prim[]; readonly enum?: readonly unknown[]; readonly pattern?: RegExp; readonly min?: number; readonly max?: number }
  | { readonly kind: 'array'; readonly items: Rule; readonly unique?: boolean }
  | {
      readonly kind: 'object';
      readonly props: Readonly<Record<string, Rule>>;
      readonly required?: readonly string[];
      /** Keys not in `props`: matched against `keys` (pattern -> rule); otherwise rejected. */
      readonly keys?: readonly (readonly [RegExp, Rule])[];
      readonly nullable?: boolean;
      /** `x-*` keys allowed (default true). */
      readonly ext?: boolean;
    }
  | { readonly kind: 'oneOf'; readonly of: readonly Rule[]; readonly label: string };

const p = (...types: Prim[]): Rule => ({ kind: 'prim', types });
const str = p('string');
const strEnum = (...values: string[]): Rule => ({ kind: 'prim', types: ['string'], enum: values });
const bool = p('boolean', 'string');
const intOrStr = p('integer', 'string');
const numOrStr = p('number', 'string');
const arr = (items: Rule, unique = false): Rule => ({ kind: 'array', items, unique });
const obj = (props: Record<string, Rule>, extra: { required?: string[]; keys?: [RegExp, Rule][]; nullable?: boolean; ext?: boolean } = {}): Rule => ({
  kind: 'object',
  props,
  ...extra,
});
const oneOf = (label: string, ...of: Rule[]): Rule => ({ kind: 'oneOf', of, label });
const mapOf = (rule: Rule, key = /^.+$/): Rule => obj({}, { keys: [[key, rule]], ext: false });
const any: Rule = { kind: 'any' };

const NAME = /^[a-zA-Z0-9._-]+$/;
const listOfStrings = arr(str, true);
const stringOrList = oneOf('a string or a list of strings', str, listOfStrings);
const listOrDict = oneOf('a mapping or a list of KEY=VALUE strings', mapOf(p('string', 'number', 'boolean', 'null')), arr(str, true));
const command = oneOf('a string or a list of strings', p('null'), str, arr(str));
const extraHosts = oneOf('a mapping or a list of host:ip strings', mapOf(oneOf('a string or a list of strings', str, arr(str))), arr(str, true));
const fileRefs = arr(oneOf('a name or a mapping', str, obj({ source: str, target: str, uid: str, gid: str, mode: numOrStr })));
const ulimits = obj(
  {},
  {
    keys: [
      [/^[a-z]+$/, oneOf('an integer or a mapping with soft and hard', intOrStr, obj({ hard: intOrStr, soft: intOrStr }, { required: ['soft', 'hard'] }))],
      [/^/, any],
    ],
    ext: false,
  },
);
const deviceRequest = obj({ capabilities: listOfStrings, count: p('string', 'integer'), device_ids: listOfStrings, driver: str, options: listOrDict }, { required: ['capabilities'] });
const hook = obj({ command, user: str, privileged: bool, working_dir: str, environment: listOrDict }, { required: ['command'] });
/** An init container run to completion before the service starts (compose's `pre_start`). */
const preStartHook = obj({ command, image: str, user: str, privileged: bool, working_dir: str, environment: listOrDict, per_replica: bool });
const updateConfig = obj({
  parallelism: intOrStr,
  delay: str,
  failure_action: str,
  monitor: str,
  max_failure_ratio: numOrStr,
  order: strEnum('start-first', 'stop-first'),
});
const blkioLimit = obj({ path: str, rate: intOrStr }, { ext: false });
const driverOpts = mapOf(p('string', 'number'));
const external = { kind: 'prim', types: ['boolean', 'string', 'object'] } as const satisfies Rule;

const build = oneOf(
  'a string or a mapping',
  str,
  obj({
    context: str,
    dockerfile: str,
    dockerfile_inline: str,
    entitlements: arr(str),
    args: listOrDict,
    ssh: listOrDict,
    labels: listOrDict,
    cache_from: arr(str),
    cache_to: arr(str),
    no_cache: bool,
    additional_contexts: listOrDict,
    network: str,
    provenance: p('string', 'boolean'),
    sbom: p('string', 'boolean'),
    pull: bool,
    target: str,
    shm_size: intOrStr,
    extra_hosts: extraHosts,
    isolation: str,
    privileged: bool,
    secrets: fileRefs,
    tags: arr(str),
    ulimits,
    platforms: arr(str),
  }),
);

const serviceVolume = obj(
  {
    type: strEnum('bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image'),
    source: str,
    target: str,
    read_only: bool,
    consistency: str,
    bind: obj({ propagation: str, create_host_path: bool, recursive: strEnum('enabled', 'disabled', 'writable', 'readonly'), selinux: strEnum('z', 'Z') }),
    volume: obj({ labels: listOrDict, nocopy: bool, subpath: str }),
    tmpfs: obj({ size: oneOf('a size', { kind: 'prim', types: ['integer'], min: 0 }, str), mode: numOrStr }),
    image: obj({ subpath: str }),
  },
  { required: ['type'] },
);

const port = obj({ name: str, mode: str, host_ip: str, target: intOrStr, published: p('string', 'integer'), protocol: str, app_protocol: str });

const serviceNetwork = oneOf(
  'a mapping or null',
  obj({
    aliases: listOfStrings,
    interface_name: str,
    ipv4_address: str,
    ipv6_address: str,
    link_local_ips: listOfStrings,
    mac_address: str,
    driver_opts: driverOpts,
    priority: p('number'),
    gw_priority: p('number'),
  }),
  p('null'),
);

const deploy = obj(
  {
    mode: str,
    endpoint_mode: str,
    replicas: intOrStr,
    labels: listOrDict,
    rollback_config: updateConfig,
    update_config: updateConfig,
    resources: obj({
      limits: obj({ cpus: numOrStr, memory: str, pids: intOrStr }),
      reservations: obj({
        cpus: numOrStr,
        memory: str,
        generic_resources: arr(obj({ discrete_resource_spec: obj({ kind: str, value: numOrStr }) })),
        devices: arr(deviceRequest),
      }),
    }),
    restart_policy: obj({ condition: str, delay: str, max_attempts: intOrStr, window: str }),
    placement: obj({ constraints: arr(str), preferences: arr(obj({ spread: str })), max_replicas_per_node: intOrStr }),
  },
  { nullable: true },
);

const develop = obj(
  {
    watch: arr(
      obj(
        {
          ignore: stringOrList,
          include: stringOrList,
          path: str,
          action: strEnum('rebuild', 'sync', 'restart', 'sync+restart', 'sync+exec'),
          target: str,
          exec: hook,
          initial_sync: p('boolean'),
        },
        { required: ['path', 'action'] },
      ),
    ),
  },
  { nullable: true },
);

const service = obj({
  develop,
  deploy,
  annotations: listOrDict,
  attach: bool,
  build,
  blkio_config: obj(
    {
      device_read_bps: arr(blkioLimit),
      device_read_iops: arr(blkioLimit),
      device_write_bps: arr(blkioLimit),
      device_write_iops: arr(blkioLimit),
      weight: intOrStr,
      weight_device: arr(obj({ path: str, weight: intOrStr }, { ext: false })),
    },
    { ext: false },
  ),
  cap_add: arr(str, true),
  cap_drop: arr(str, true),
  cgroup: strEnum('host', 'private'),
  cgroup_parent: str,
  command,
  configs: fileRefs,
  container_name: { kind: 'prim', types: ['string'], pattern: /[a-zA-Z0-9][a-zA-Z0-9_.-]+/ },
  cpu_count: oneOf('an integer', str, { kind: 'prim', types: ['integer'], min: 0 }),
  cpu_percent: oneOf('an integer', str, { kind: 'prim', types: ['integer'], min: 0, max: 100 }),
  cpu_shares: numOrStr,
  cpu_quota: numOrStr,
  cpu_period: numOrStr,
  cpu_rt_period: numOrStr,
  cpu_rt_runtime: numOrStr,
  cpus: numOrStr,
  cpuset: str,
  credential_spec: obj({ config: str, file: str, registry: str }),
  depends_on: oneOf(
    'a list of service names or a mapping',
    listOfStrings,
    obj(
      {},
      {
        keys: [[NAME, obj({ restart: bool, required: p('boolean'), condition: strEnum('service_started', 'service_healthy', 'service_completed_successfully') }, { required: ['condition'] })]],
        ext: false,
      },
    ),
  ),
  device_cgroup_rules: listOfStrings,
  devices: arr(oneOf('a string or a mapping', str, obj({ source: str, target: str, permissions: str }, { required: ['source'] }))),
  dns: stringOrList,
  dns_opt: arr(str, true),
  dns_search: stringOrList,
  domainname: str,
  entrypoint: command,
  env_file: oneOf('a string or a list', str, arr(oneOf('a string or a mapping', str, obj({ path: str, required: bool, format: str }, { required: ['path'], ext: false })))),
  label_file: oneOf('a string or a list of strings', str, arr(str)),
  environment: listOrDict,
  expose: arr(p('string', 'number'), true),
  extends: oneOf('a service name or a mapping', str, obj({ service: str, file: str }, { required: ['service'], ext: false })),
  provider: obj({ type: str, options: mapOf(any) }, { required: ['type'] }),
  external_links: arr(str, true),
  extra_hosts: extraHosts,
  gpus: oneOf('"all" or a list', strEnum('all'), arr(obj({ capabilities: listOfStrings, count: p('string', 'integer'), device_ids: listOfStrings, driver: str, options: listOrDict }))),
  group_add: arr(p('string', 'number'), true),
  healthcheck: obj({
    disable: bool,
    interval: str,
    retries: numOrStr,
    test: oneOf('a string or a list of strings', str, arr(str)),
    timeout: str,
    start_period: str,
    start_interval: str,
  }),
  hostname: str,
  image: str,
  init: bool,
  ipc: str,
  isolation: str,
  labels: listOrDict,
  links: arr(str, true),
  logging: obj({ driver: str, options: mapOf(p('string', 'number', 'null')) }),
  mac_address: str,
  mem_limit: numOrStr,
  mem_reservation: p('string', 'integer'),
  mem_swappiness: intOrStr,
  memswap_limit: numOrStr,
  network_mode: str,
  models: oneOf('a list or a mapping', listOfStrings, obj({}, { keys: [[NAME, obj({ endpoint_var: str, model_var: str }, { nullable: true })]], ext: false })),
  networks: oneOf('a list of network names or a mapping', listOfStrings, obj({}, { keys: [[NAME, serviceNetwork]], ext: false })),
  oom_kill_disable: bool,
  oom_score_adj: oneOf('an integer', str, { kind: 'prim', types: ['integer'], min: -1000, max: 1000 }),
  pid: p('string', 'null'),
  pids_limit: numOrStr,
  platform: str,
  ports: arr(oneOf('a number, a string or a mapping', p('number'), str, port), true),
  post_start: arr(hook),
  pre_start: arr(preStartHook),
  pre_stop: arr(hook),
  privileged: bool,
  profiles: listOfStrings,
  pull_policy: { kind: 'prim', types: ['string'], pattern: /always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+/ },
  pull_refresh_after: str,
  read_only: bool,
  restart: str,
  runtime: str,
  scale: intOrStr,
  security_opt: arr(str, true),
  shm_size: numOrStr,
  secrets: fileRefs,
  sysctls: listOrDict,
  stdin_open: bool,
  stop_grace_period: str,
  stop_signal: str,
  storage_opt: obj({}, { keys: [[/^/, any]] }),
  tmpfs: stringOrList,
  tty: bool,
  ulimits,
  use_api_socket: p('boolean'),
  user: str,
  uts: str,
  userns_mode: str,
  volumes: arr(oneOf('a string or a mapping', str, serviceVolume), true),
  volumes_from: arr(str, true),
  working_dir: str,
});

const network = obj(
  {
    name: str,
    driver: str,
    driver_opts: driverOpts,
    ipam: obj({
      driver: str,
      config: arr(obj({ subnet: str, ip_range: str, gateway: str, aux_addresses: mapOf(str) })),
      options: mapOf(str),
    }),
    external,
    internal: bool,
    enable_ipv4: bool,
    enable_ipv6: bool,
    attachable: bool,
    labels: listOrDict,
  },
  { nullable: true },
);

// what the volume store accepts (src/engine/paths.ts VOLUME_NAME): never a path
const volumeName: Rule = { kind: 'prim', types: ['string'], pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/ };
const volume = obj({ name: volumeName, driver: str, driver_opts: driverOpts, external, labels: listOrDict }, { nullable: true });

const secret = obj({ name: str, environment: str, file: str, external, labels: listOrDict, driver: str, driver_opts: driverOpts, template_driver: str });
const config = obj({ name: str, content: str, environment: str, file: str, external, labels: listOrDict, template_driver: str });
const model = obj({ name: str, model: str, context_size: p('integer'), runtime_flags: arr(str) }, { required: ['model'] });

export const composeRule: Rule = obj({
  version: str,
  name: str,
  include: arr(oneOf('a path or a mapping', str, obj({ path: stringOrList, env_file: stringOrList, project_directory: str }, { ext: false }))),
  services: obj({}, { keys: [[NAME, service]], ext: false }),
  models: obj(
    {},
    {
      keys: [
        [NAME, model],
        [/^/, any],
      ],
    },
  ),
  networks: obj(
    {},
    {
      keys: [
        [NAME, network],
        [/^/, any],
      ],
    },
  ),
  volumes: obj({}, { keys: [[NAME, volume]], ext: false }),
  secrets: obj({}, { keys: [[NAME, secret]], ext: false }),
  configs: obj({}, { keys: [[NAME, config]], ext: false }),
});
