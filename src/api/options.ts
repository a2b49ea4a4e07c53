/**
 * Option types of the engine verbs, as `docker compose` names them. The CLI fills them
 * from flags; tests fill them directly.
 */
import type { EventSink, LogSink } from './events.js';

/** Where the project comes from (the CLI's global flags plus the environment). */
export interface ProjectSource {
  readonly files: readonly string[];
  readonly projectName?: string | undefined;
  readonly projectDirectory?: string | undefined;
  readonly envFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `--parallel` / COMPOSE_PARALLEL_LIMIT: how many operations the engine runs at once (-1 or undefined: no limit). */
  readonly parallel?: number;
}

export interface CommonOptions {
  readonly source: ProjectSource;
  /** Services named on the command line (empty = all). */
  readonly services?: readonly string[];
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
}

export type PullOption = 'always' | 'missing' | 'never' | 'build' | 'policy';

export interface CreateOptions extends CommonOptions {
  /** Recreate the named services' containers (all services' when none is named). */
  readonly forceRecreate?: boolean;
  /** `--always-recreate-deps`: recreate the dependencies of the named services too. */
  readonly alwaysRecreateDeps?: boolean;
  /** `--quiet-pull`: pull without progress events (failures are still reported). */
  readonly quietPull?: boolean;
  readonly noRecreate?: boolean;
  readonly removeOrphans?: boolean;
  readonly noDeps?: boolean;
  readonly pull?: PullOption;
  readonly build?: boolean;
  readonly noBuild?: boolean;
  /** `--scale web=3`. */
  readonly scale?: Readonly<Record<string, number>>;
  readonly renewAnonVolumes?: boolean;
}

export interface UpOptions extends CreateOptions {
  /** `-d`: start and return; a supervisor keeps restart policies and healthchecks going. */
  readonly detach?: boolean;
  /** `--wait`: return once every service is running/healthy (implies detach). */
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
  readonly noStart?: boolean;
  /** Stop timeout in seconds (`-t`). */
  readonly timeout?: number;
  readonly abortOnContainerExit?: boolean;
  /** `--abort-on-container-failure`: stop the project when a container exits with a non-zero code. */
  readonly abortOnContainerFailure?: boolean;
  /** `--attach-dependencies`: show the logs of the named services' dependencies too. */
  readonly attachDependencies?: boolean;
  readonly exitCodeFrom?: string;
  /** Services whose logs are shown (attached mode); undefined = all. */
  readonly attach?: readonly string[];
  readonly noAttach?: readonly string[];
  readonly onLog?: LogSink;
  /** For a screen: a log follower more than this many bytes behind its file skips ahead (the line after says how many it skipped). Unset: every line. */
  readonly logSkip?: number;
  /** Attached: when aborted, attaching ends and the stack keeps running (the dashboard's `d`); exit code 0. */
  readonly detachSignal?: AbortSignal;
  /**
   * Detached: a berth command (its arguments) the project's supervisor keeps running beside
   * the stack until `down` (`up -d --watch`: `berth watch --no-up`); a later one replaces it.
   */
  readonly sidecar?: { readonly argv: readonly string[]; readonly cwd: string };
  /**
   * `watch --prune`: once containers are recreated on a new image, the image they ran on
   * before is removed when nothing else uses it (no name, no container): compose's
   * dangling-image prune after a rebuild.
   */
  readonly pruneReplaced?: boolean;
}

/** `berth pull`: the images of the named services (all when none). */
export interface PullOptions extends CommonOptions {
  /** `--policy missing`: only images that are not here yet; default: pull every one. */
  readonly policy?: 'missing' | 'always';
  /** Keep going past a failed pull (reported as a warning). */
  readonly ignoreFailures?: boolean;
  readonly includeDeps?: boolean;
  /** Skip services that have a `build:` section. */
  readonly ignoreBuildable?: boolean;
}

/** `berth push`: the images of the named services (all when none). */
export interface PushOptions extends CommonOptions {
  readonly ignoreFailures?: boolean;
  readonly includeDeps?: boolean;
}

/** `berth build`: the services with a `build:` section (all when none named). */
export interface BuildOptions extends CommonOptions {
  readonly noCache?: boolean;
  /** Always pull a newer base image. */
  readonly pull?: boolean;
  readonly buildArgs?: Readonly<Record<string, string | undefined>>;
  /** `--allow ENTITLEMENT`: `network.host` lets RUN use the host's network. */
  readonly allow?: readonly string[];
}

/** `monitor` (the dashboard): status snapshots, recorded events and logs of a running project. */
export interface MonitorOptions extends CommonOptions {
  /** A status snapshot (with cgroup usage) every this many ms (default 1000). */
  readonly intervalMs?: number;
  /** Follow the events other berth processes record (the supervisor's restarts, health), from now. */
  readonly events?: boolean;
  /** The containers' logs: the last `tail` lines of each, then following. */
  readonly onLog?: LogSink;
  readonly tail?: number;
  /** As UpOptions.logSkip. */
  readonly logSkip?: number;
}

export interface DownOptions extends CommonOptions {
  readonly volumes?: boolean;
  readonly rmi?: 'all' | 'local';
  readonly removeOrphans?: boolean;
  readonly timeout?: number;
}

export interface StopOptions extends CommonOptions {
  readonly timeout?: number;
}

export interface RestartOptions extends StopOptions {
  /** `--no-deps`: only the named services, not the ones that depend on them with `restart: true`. */
  readonly noDeps?: boolean;
}

/** `--dry-run` of a verb on existing containers: which, and what it would do to them. */
export interface VerbPlanOptions extends CommonOptions {
  readonly verb: 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm';
  /** restart: only the named services. */
  readonly noDeps?: boolean;
  /** kill: the signal. */
  readonly killSignal?: string;
  /** rm -s: stop first. */
  readonly stop?: boolean;
}

export interface StartOptions extends CommonOptions {
  /** `--wait`: return once every started service is running, or healthy when it has a healthcheck. */
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
}

export interface KillOptions extends CommonOptions {
  readonly killSignal?: string;
}

export interface RemoveOptions extends CommonOptions {
  readonly stop?: boolean;
  readonly volumes?: boolean;
  readonly force?: boolean;
}

export interface PsOptions extends CommonOptions {
  readonly all?: boolean;
  readonly status?: readonly string[];
  /** `--orphans=false`: leave out containers of services the compose file no longer declares. */
  readonly orphans?: boolean;
}

export interface LogsOptions extends CommonOptions {
  readonly follow?: boolean;
  readonly tail?: number;
  readonly since?: number;
  readonly until?: number;
  /** The first N lines of each container (after `since`): a read forward from a cursor. */
  readonly head?: number;
  readonly index?: number;
  /** A read-only look (the dashboard's scroll-back into the log files): never revives the supervisor. */
  readonly peek?: boolean;
  readonly onLog: LogSink;
}

export interface ExecOptions extends CommonOptions {
  readonly service: string;
  readonly command: readonly string[];
  readonly index?: number;
  readonly user?: string;
  readonly workdir?: string;
  readonly env?: readonly string[];
  readonly detach?: boolean;
  /** `exec --privileged`: every capability, no seccomp filter. */
  readonly privileged?: boolean;
  readonly tty?: boolean;
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

export interface RunOptions extends ExecOptions {
  readonly rm?: boolean;
  /** `--cap-add` / `--cap-drop`: added to the service's (and taken out of the other list), as compose does. */
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  /** `-l KEY=VALUE`: labels added to (or overriding) the service's on the one-off container. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `--use-aliases`: the container answers to the service's name and network aliases too. */
  readonly useAliases?: boolean;
  /** `--pull`: the image's pull policy for this run (default: the service's `pull_policy`). */
  readonly pull?: PullOption;
  /** `--build`: build the service's image before running. */
  readonly build?: boolean;
  /** `--quiet-pull`: no per-layer pull progress. */
  readonly quietPull?: boolean;
  /** `--remove-orphans`: the dependencies' up removes orphan containers. */
  readonly removeOrphans?: boolean;
  /** `--env-from-file`: env files (absolute paths) read in order; `env` wins over them. */
  readonly envFiles?: readonly string[];
  readonly name?: string;
  readonly entrypoint?: readonly string[];
  readonly volumes?: readonly string[];
  readonly publish?: readonly string[];
  readonly servicePorts?: boolean;
  readonly noDeps?: boolean;
}

/** One row of `ps`. */
export interface ContainerSummary {
  readonly name: string;
  readonly id: string;
  readonly service: string;
  readonly number: number;
  readonly project: string;
  readonly image: string;
  readonly command: string;
  readonly state: 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead';
  readonly health?: 'starting' | 'healthy' | 'unhealthy';
  readonly exitCode?: number;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly ports: readonly PortSummary[];
  readonly oneoff: boolean;
  readonly pid?: number;
}

export interface PortSummary {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/** One row of `ls`. */
export interface ProjectSummary {
  readonly name: string;
  readonly status: string;
  readonly configFiles: readonly string[];
  readonly workingDir: string;
}

export interface UpResult {
  /** Exit code for the CLI (attached up, `--exit-code-from`). */
  readonly exitCode: number;
}

export interface PortOptions extends CommonOptions {
  readonly service: string;
  readonly privatePort: number;
  readonly protocol?: 'tcp' | 'udp';
  readonly index?: number;
}

export interface EventsOptions extends CommonOptions {
  /** Keep following (default); false prints what happened so far. */
  readonly follow?: boolean;
  /** `--since` (ms): the recorded events from then on first, then (following) the live ones, with no gap. */
  readonly since?: number;
  /** `--until` (ms): events after it are not shown. */
  readonly until?: number;
  readonly onEvent: (event: import('./events.js').EngineEvent) => void;
}

export interface WaitOptions extends CommonOptions {
  /** `--down-project`: down the project once the first container exits. */
  readonly downProject?: boolean;
}

export interface StatsOptions extends CommonOptions {
  /** `-a`: stopped containers too (a row of zeros, as docker shows them). */
  readonly all?: boolean;
}

/** `ls`: projects berth knows. */
export interface LsOptions {
  /** `-a`: stopped projects too. */
  readonly all?: boolean;
  /** `--filter name=…`: projects whose name is one of these or matches one as a regular expression (docker's filter). */
  readonly names?: readonly string[];
}

export interface ScaleOptions extends CommonOptions {
  readonly scale: Readonly<Record<string, number>>;
  readonly noDeps?: boolean;
}

/** One process of `top`. */
export interface ProcessRow {
  readonly uid: number;
  readonly pid: number;
  readonly ppid: number;
  readonly stime: string;
  readonly time: string;
  readonly cmd: string;
}

export interface TopResult {
  readonly container: string;
  readonly processes: readonly ProcessRow[];
}

export interface ImageSummary {
  readonly container: string;
  readonly repository: string;
  readonly tag: string;
  readonly id: string;
  readonly size: number;
}

export interface StatsRow {
  readonly container: string;
  readonly id: string;
  readonly cpuNanos: number;
  /** Percent of one CPU over the sampling interval. */
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number | undefined;
  readonly pids: number;
}

export interface CopyOptions {
  readonly source: ProjectSource;
  readonly service: string;
  readonly index?: number;
  readonly direction: 'from-container' | 'to-container';
  readonly containerPath: string;
  /** `-`: a tar archive on `stdin` (to the container) or `stdout` (from it). */
  readonly hostPath: string;
  /** `-a`: keep uid/gid of the copied files. */
  readonly archive?: boolean;
  /** `-L`: follow a symlink given as the source path. */
  readonly followLink?: boolean;
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
}

/** `berth attach SERVICE`: the running container's output until it exits. */
export interface AttachOptions {
  readonly source: ProjectSource;
  readonly service: string;
  readonly index?: number;
  /** `--sig-proxy` (default true): SIGINT/SIGTERM received by this process go to the container. */
  readonly sigProxy?: boolean;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborted: stop attaching (the container keeps running). */
  readonly signal?: AbortSignal;
}

/** `berth export SERVICE`: the container's filesystem as a tar archive. */
export interface ExportOptions {
  readonly source: ProjectSource;
  readonly service: string;
  readonly index?: number;
  /** `-o FILE`: written whole or not at all (a temporary file renamed into place). */
  readonly file?: string;
  /** Without a file: the archive goes here. */
  readonly stdout?: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
}

/** One row of `berth volumes`. */
export interface VolumeSummary {
  readonly name: string;
  readonly driver: 'local';
  readonly scope: 'local';
  readonly mountpoint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** `berth watch`. */
export interface WatchOptions {
  readonly source: ProjectSource;
  readonly services?: readonly string[];
  /** `--no-up`: watch only; the services must already run. */
  readonly noUp?: boolean;
  /** `--prune`: after a rebuild, remove the image the old containers ran on when nothing else uses it. */
  readonly prune?: boolean;
  /** `--quiet`: fewer messages (no per-path detail, no build output). */
  readonly quiet?: boolean;
  /** Name every synced path in messages. */
  readonly verbose?: boolean;
  /** berth's own: restart a service when files change under the host directories it bind-mounts. */
  readonly restartOnChange?: boolean;
  readonly signal: AbortSignal;
  readonly onEvent?: EventSink;
  /** Called once watching has started (after `up` and the initial syncs). */
  readonly onReady?: () => void;
}

/** `berth info`: what this host gives berth. */
export interface EngineInfo {
  readonly stateRoot: string;
  readonly runDir: string;
  readonly cgroupVersion: string;
  readonly kernel: string;
  readonly network: Readonly<Record<string, string | boolean>>;
  readonly containers: { readonly total: number; readonly running: number };
}
