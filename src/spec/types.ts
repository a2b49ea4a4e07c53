/**
 * The normalized, immutable compose project (the output of `loadProject`).
 *
 * Conventions (match `docker compose config` / compose-go after normalization):
 * - Long syntax everywhere: ports, volumes, depends_on, secrets/configs, env_file, networks.
 * - Durations are integer NANOSECONDS (`DurationNs`, as Go's time.Duration); use
 *   `durationMs()` from `./units.js` for timers. Sizes/memory are integer BYTES.
 * - Paths (build.context, bind sources, env_file, secret/config files) are absolute.
 * - `environment` values are `string` or `null` (null = "pass from the CLI environment
 *   if set", as `FOO` without `=`; the engine decides).
 * - Optional keys are absent (not `undefined`-valued) when the user did not set them.
 * - Everything is deeply frozen: treat it as readonly data.
 * - Unknown `x-*` extension fields are kept in `extensions` where compose keeps them.
 */

/** Go time.Duration: integer nanoseconds. */
export type DurationNs = number;
/** Byte count (memory, shm_size, tmpfs size...). */
export type Bytes = number;

export type Extensions = Readonly<Record<string, unknown>>;

export interface Project {
  readonly name: string;
  /** Absolute project directory (relative paths in files resolve against it). */
  readonly workingDir: string;
  /** Absolute paths of the compose files that were loaded, in order ('-' for stdin). */
  readonly composeFiles: readonly string[];
  /** Enabled profiles (from --profile / COMPOSE_PROFILES), sorted. */
  readonly profiles: readonly string[];
  /** Active services, sorted by name. */
  readonly services: Readonly<Record<string, Service>>;
  /** Services disabled by profiles (still resolved, not started). */
  readonly disabledServices: Readonly<Record<string, Service>>;
  readonly networks: Readonly<Record<string, Network>>;
  readonly volumes: Readonly<Record<string, Volume>>;
  readonly secrets: Readonly<Record<string, Secret>>;
  readonly configs: Readonly<Record<string, Config>>;
  /** The resolved variables used for interpolation (shell env > --env-file/.env). */
  readonly environment: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export type PullPolicy = 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly' | `every_${string}`;
export type RestartPolicy = 'no' | 'always' | 'on-failure' | `on-failure:${number}` | 'unless-stopped';
export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface Service {
  readonly name: string;
  readonly profiles?: readonly string[];
  readonly image?: string;
  readonly build?: BuildConfig;
  readonly pull_policy?: PullPolicy;
  readonly platform?: string;
  /** null = explicitly empty (`command: []` / `!reset`); absent = image default. */
  readonly command?: readonly string[] | null;
  readonly entrypoint?: readonly string[] | null;
  readonly environment: Readonly<Record<string, string | null>>;
  /** Not set by loadProject: env files are read and folded into `environment` (as compose does). */
  readonly env_file?: readonly EnvFile[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly container_name?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly user?: string;
  readonly working_dir?: string;
  readonly depends_on?: Readonly<Record<string, Dependency>>;
  readonly links?: readonly string[];
  readonly external_links?: readonly string[];
  readonly volumes_from?: readonly string[];
  readonly ports?: readonly PortConfig[];
  readonly expose?: readonly string[];
  readonly volumes?: readonly VolumeMount[];
  readonly tmpfs?: readonly string[];
  /** Absent: the service joins `default` (unless network_mode is set). */
  readonly networks?: Readonly<Record<string, ServiceNetwork | null>>;
  /** `host`, `none`, `bridge`, `service:<name>`, `container:<id>`. */
  readonly network_mode?: string;
  readonly ipc?: string;
  readonly pid?: string;
  readonly uts?: string;
  readonly userns_mode?: string;
  readonly cgroup?: 'host' | 'private';
  readonly cgroup_parent?: string;
  readonly restart?: RestartPolicy;
  readonly healthcheck?: Healthcheck;
  readonly init?: boolean;
  readonly stop_signal?: string;
  readonly stop_grace_period?: DurationNs;
  readonly tty?: boolean;
  readonly stdin_open?: boolean;
  readonly read_only?: boolean;
  readonly privileged?: boolean;
  readonly cap_add?: readonly string[];
  readonly cap_drop?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly ulimits?: Readonly<Record<string, Ulimit>>;
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly extra_hosts?: Readonly<Record<string, readonly string[]>>;
  readonly dns?: readonly string[];
  readonly dns_opt?: readonly string[];
  readonly dns_search?: readonly string[];
  readonly mac_address?: string;
  readonly devices?: readonly DeviceMapping[];
  readonly device_cgroup_rules?: readonly string[];
  readonly group_add?: readonly string[];
  readonly shm_size?: Bytes;
  readonly mem_limit?: Bytes;
  readonly mem_reservation?: Bytes;
  readonly memswap_limit?: Bytes;
  readonly mem_swappiness?: number;
  readonly oom_kill_disable?: boolean;
  readonly oom_score_adj?: number;
  readonly cpus?: number;
  readonly cpu_shares?: number;
  readonly cpu_quota?: number;
  readonly cpu_period?: number;
  readonly cpu_rt_period?: number;
  readonly cpu_rt_runtime?: number;
  readonly cpu_count?: number;
  readonly cpu_percent?: number;
  readonly cpuset?: string;
  readonly pids_limit?: number;
  readonly blkio_config?: Readonly<Record<string, unknown>>;
  readonly storage_opt?: Readonly<Record<string, string>>;
  readonly logging?: Logging;
  readonly scale?: number;
  readonly deploy?: Deploy;
  readonly configs?: readonly FileReference[];
  readonly secrets?: readonly FileReference[];
  readonly runtime?: string;
  readonly isolation?: string;
  readonly attach?: boolean;
  readonly post_start?: readonly ServiceHook[];
  readonly pre_stop?: readonly ServiceHook[];
  readonly develop?: Develop;
  /** Any other schema key berth passes through untouched (gpus, credential_spec, ...). */
  readonly other?: Readonly<Record<string, unknown>>;
  readonly extensions?: Extensions;
}

export interface BuildConfig {
  /** Absolute path, or a URL (git/http) left as written. */
  readonly context: string;
  readonly dockerfile?: string;
  readonly dockerfile_inline?: string;
  readonly args?: Readonly<Record<string, string | null>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly network?: string;
  readonly shm_size?: Bytes;
  readonly cache_from?: readonly string[];
  readonly cache_to?: readonly string[];
  readonly no_cache?: boolean;
  readonly pull?: boolean;
  readonly tags?: readonly string[];
  readonly platforms?: readonly string[];
  readonly extra_hosts?: Readonly<Record<string, readonly string[]>>;
  readonly secrets?: readonly FileReference[];
  readonly additional_contexts?: Readonly<Record<string, string>>;
  readonly ssh?: readonly string[];
  readonly other?: Readonly<Record<string, unknown>>;
}

export interface EnvFile {
  /** Absolute path. */
  readonly path: string;
  readonly required: boolean;
  readonly format?: string;
}

export interface Dependency {
  readonly condition: DependencyCondition;
  readonly restart: boolean;
  readonly required: boolean;
}

export interface PortConfig {
  readonly name?: string;
  /** Always `ingress` unless written as `host`. */
  readonly mode: string;
  readonly host_ip?: string;
  readonly target: number;
  /** A port or a range `"8000-8010"`; a string as compose prints it. Absent = ephemeral. */
  readonly published?: string;
  readonly protocol: string;
  readonly app_protocol?: string;
}

export type VolumeType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface VolumeMount {
  readonly type: VolumeType;
  /** Absolute host path (bind), volume name (volume; absent = anonymous), image ref (image). */
  readonly source?: string;
  readonly target: string;
  readonly read_only?: boolean;
  readonly consistency?: string;
  readonly bind?: { readonly propagation?: string; readonly create_host_path?: boolean; readonly selinux?: 'z' | 'Z' };
  readonly volume?: { readonly nocopy?: boolean; readonly subpath?: string };
  readonly tmpfs?: { readonly size?: Bytes; readonly mode?: number };
  readonly image?: { readonly subpath?: string };
}

export interface ServiceNetwork {
  readonly aliases?: readonly string[];
  readonly ipv4_address?: string;
  readonly ipv6_address?: string;
  readonly mac_address?: string;
  readonly link_local_ips?: readonly string[];
  readonly interface_name?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly priority?: number;
  readonly gw_priority?: number;
}

export interface Healthcheck {
  /** `["NONE"]`, `["CMD", ...]`, `["CMD-SHELL", "..."]`; absent = image default. */
  readonly test?: readonly string[];
  readonly interval?: DurationNs;
  readonly timeout?: DurationNs;
  readonly start_period?: DurationNs;
  readonly start_interval?: DurationNs;
  readonly retries?: number;
  readonly disable?: boolean;
}

export interface Ulimit {
  /** Set when written as a single number (`nofile: 1024`). */
  readonly single?: number;
  readonly soft?: number;
  readonly hard?: number;
}

export interface DeviceMapping {
  readonly source: string;
  readonly target: string;
  readonly permissions: string;
}

export interface Logging {
  readonly driver?: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface ServiceHook {
  readonly command: readonly string[];
  readonly user?: string;
  readonly privileged?: boolean;
  readonly working_dir?: string;
  readonly environment?: Readonly<Record<string, string | null>>;
}

/** `develop:` for `berth watch`. */
export interface Develop {
  readonly watch?: readonly WatchRule[];
}

export interface WatchRule {
  /** Absolute host path. */
  readonly path: string;
  readonly action: 'rebuild' | 'sync' | 'restart' | 'sync+restart' | 'sync+exec';
  readonly target?: string;
  readonly ignore?: readonly string[];
  readonly include?: readonly string[];
  readonly exec?: ServiceHook;
  readonly initial_sync?: boolean;
}

export interface Deploy {
  readonly mode?: string;
  readonly replicas?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly endpoint_mode?: string;
  readonly resources?: {
    readonly limits?: Resource;
    readonly reservations?: Resource;
  };
  readonly restart_policy?: {
    readonly condition?: string;
    readonly delay?: DurationNs;
    readonly max_attempts?: number;
    readonly window?: DurationNs;
  };
  readonly placement?: Readonly<Record<string, unknown>>;
  readonly update_config?: Readonly<Record<string, unknown>>;
  readonly rollback_config?: Readonly<Record<string, unknown>>;
}

export interface Resource {
  readonly cpus?: number;
  readonly memory?: Bytes;
  readonly pids?: number;
  readonly devices?: readonly Readonly<Record<string, unknown>>[];
  readonly generic_resources?: readonly Readonly<Record<string, unknown>>[];
}

/** A service's `secrets:` / `configs:` entry, long form. */
export interface FileReference {
  readonly source: string;
  readonly target?: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

export interface External {
  /** Present (true) only for external resources. */
  readonly external?: boolean;
}

export interface Network extends External {
  /** The real name (defaults to `<project>_<key>`; for external ones, the key). */
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly attachable?: boolean;
  readonly enable_ipv4?: boolean;
  readonly enable_ipv6?: boolean;
  readonly internal?: boolean;
  readonly ipam?: Ipam;
  readonly labels?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export interface Ipam {
  readonly driver?: string;
  readonly config?: readonly IpamPool[];
  readonly options?: Readonly<Record<string, string>>;
}

export interface IpamPool {
  readonly subnet?: string;
  readonly ip_range?: string;
  readonly gateway?: string;
  readonly aux_addresses?: Readonly<Record<string, string>>;
}

export interface Volume extends External {
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export interface Secret extends External {
  readonly name: string;
  /** Absolute path. */
  readonly file?: string;
  readonly environment?: string;
  readonly content?: string;
  readonly driver?: string;
  readonly driver_opts?: Readonly<Record<string, string>>;
  readonly template_driver?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly extensions?: Extensions;
}

export type Config = Secret;

/** A non-fatal finding (unset variable, obsolete `version`, ...). */
export interface SpecWarning {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface LoadOptions {
  /** `-f` files (`-` = stdin). Empty: COMPOSE_FILE, then discovery from `cwd` upwards. */
  readonly files?: readonly string[];
  /** `-p`. */
  readonly projectName?: string | undefined;
  /** `--project-directory`. */
  readonly projectDirectory?: string | undefined;
  /** `--env-file` (repeatable). Empty: `<project dir>/.env` when present. */
  readonly envFiles?: readonly string[];
  /** `--profile` (repeatable). Empty: COMPOSE_PROFILES. */
  readonly profiles?: readonly string[];
  /** The shell environment (injected; tests pass their own). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Reads stdin for `-f -`. */
  readonly readStdin?: () => Promise<string>;
  /** Default true; `--no-interpolate` passes false. */
  readonly interpolate?: boolean;
  /** Receives each warning once. */
  readonly onWarning?: (warning: SpecWarning) => void;
  /**
   * For the local engine (local-support.ts): warn about each key it does not apply, and
   * refuse the ones it cannot run without (`enforce`: up, create, run) or name them in a
   * warning too (`warn`: config). Deploy targets leave it off.
   */
  readonly localEngine?: 'warn' | 'enforce';
}
