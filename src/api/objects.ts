/**
 * berth's verbs on single objects outside compose projects (`berth container|image|network`,
 * login/logout): the option and result types, and the services the Backend hands out.
 * Implemented by `src/engine/objects/`. Results are plain data; the CLI prints them.
 */
import type { EventSink } from './events.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The flags of `berth container create|run`, typed (parsed and checked by the service). */
export interface ContainerFlags {
  /** `--rootfs DIR` (used directly) or `DIR:O` (an overlay over it). */
  readonly rootfs?: string;
  readonly rm?: boolean;
  readonly pull?: string;
  readonly entrypoint?: string;
  readonly name?: string;
  readonly env?: readonly string[];
  readonly volume?: readonly string[];
  readonly tmpfs?: readonly string[];
  readonly device?: readonly string[];
  readonly workdir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly memory?: string;
  readonly memorySwap?: string;
  readonly memoryReservation?: string;
  readonly cpus?: string;
  readonly cpuShares?: number;
  readonly cpusetCpus?: string;
  readonly pidsLimit?: number;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly privileged?: boolean;
  readonly readOnly?: boolean;
  readonly init?: boolean;
  readonly network?: string;
  readonly securityOpt?: readonly string[];
  readonly ulimit?: readonly string[];
  readonly sysctl?: readonly string[];
  readonly label?: readonly string[];
  readonly shmSize?: string;
  readonly stopSignal?: string;
  readonly stopTimeout?: number;
  readonly interactive?: boolean;
  readonly tty?: boolean;
  readonly userns?: string;
}

export interface ContainerCreateOptions {
  /** IMAGE [COMMAND] [ARG...], or with --rootfs: COMMAND [ARG...]. */
  readonly args: readonly string[];
  readonly flags: ContainerFlags;
  /** Relative paths (--rootfs, -v) resolve against it. */
  readonly cwd: string;
  /** `-e KEY` takes KEY's value from it. */
  readonly env: Env;
  readonly signal?: AbortSignal;
  /** Warnings (clamped ulimits, ...) and pull progress. */
  readonly onEvent?: EventSink;
}

export interface ContainerRunOptions extends ContainerCreateOptions {
  /** `-d`: return once it runs, with its id. */
  readonly detach?: boolean;
}

export interface ContainerRunResult {
  readonly id: string;
  /** The container's exit code (attached runs). */
  readonly exitCode?: number;
}

export interface ContainerExecOptions {
  readonly container: string;
  readonly command: readonly string[];
  readonly env?: readonly string[];
  readonly workdir?: string;
  readonly user?: string;
  readonly interactive?: boolean;
  readonly tty?: boolean;
  readonly detach?: boolean;
  readonly privileged?: boolean;
  readonly signal?: AbortSignal;
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** One line of `berth container ls`. */
export interface ContainerRow {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly exitCode: number | undefined;
  readonly oomKilled: boolean;
  readonly createdAt: string;
  readonly args: readonly string[];
}

export interface ContainerStatsRow {
  readonly id: string;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number | undefined;
  readonly cpuNanos: number;
  readonly pids: number;
}

export interface ContainerLogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly time: string;
  /** With its newline. */
  readonly text: string;
}

export interface CommitOptions {
  readonly container: string;
  readonly ref?: string;
  readonly changes?: readonly string[];
  readonly message?: string;
  readonly author?: string;
  /** Pause a running container meanwhile (default true). */
  readonly pause?: boolean;
}

export interface ContainerService {
  create(options: ContainerCreateOptions): Promise<string>;
  run(options: ContainerRunOptions): Promise<ContainerRunResult>;
  start(container: string): Promise<void>;
  /** `start -a`: its output to onLine until it exits; `signal` aborted forwards SIGINT/SIGTERM to it. */
  startAttached(container: string, options: { onLine(line: ContainerLogLine): void; signal?: AbortSignal }): Promise<number>;
  stop(container: string, options: { timeoutMs?: number; signal?: string }): Promise<void>;
  kill(container: string, signal: string): Promise<void>;
  pause(container: string): Promise<void>;
  unpause(container: string): Promise<void>;
  /** Removes it and releases its image. */
  remove(container: string, options: { force?: boolean }): Promise<void>;
  /** Its exit code once it exits. */
  wait(container: string, signal?: AbortSignal): Promise<number>;
  exec(options: ContainerExecOptions): Promise<number>;
  inspect(container: string): Promise<unknown>;
  list(): Promise<readonly ContainerRow[]>;
  stats(container: string): Promise<ContainerStatsRow>;
  logs(container: string, options: { follow?: boolean; tail?: number; since?: string; signal?: AbortSignal; onLine(line: ContainerLogLine): void }): Promise<void>;
  /** Returns the new image's id. */
  commit(options: CommitOptions): Promise<string>;
}

/** One image of `berth image ls` (a row per name). */
export interface ImageRow {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly id: string;
  readonly created: string | undefined;
  readonly size: number;
}

export interface ImagePullResult {
  /** The manifest digest (the image id when it has none). */
  readonly digest: string;
  /** `up-to-date` when nothing was fetched. */
  readonly status: 'pulled' | 'up-to-date';
  readonly familiar: string;
  readonly canonical: string;
}

export interface ImageBuildOptions {
  readonly context: string;
  readonly dockerfile?: string;
  readonly tags: readonly string[];
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string | undefined>>;
  readonly labels: readonly string[];
  /** `--allow network.host`: the entitlements RUN may use. */
  readonly allow?: readonly string[];
  /** RUN's network: default, host, none. */
  readonly network?: string;
  readonly noCache?: boolean;
  readonly pull?: boolean;
  readonly env: Env;
  readonly signal?: AbortSignal;
  /** Build steps as info events (`#3 [3/7] RUN ...`), warnings as warnings. */
  readonly onEvent?: EventSink;
}

export interface ImageService {
  /** Pull progress as image events. */
  pull(ref: string, options: { platform?: string; signal?: AbortSignal; onEvent?: EventSink }): Promise<ImagePullResult>;
  push(ref: string, options: { signal?: AbortSignal; onEvent?: EventSink }): Promise<{ digest: string; size: number; repository: string; tag: string; canonical: string }>;
  build(options: ImageBuildOptions): Promise<string>;
  list(filter?: string): Promise<readonly ImageRow[]>;
  /** docker's inspect shape (Id, RepoTags, Config, ...). */
  inspect(ref: string): Promise<Record<string, unknown>>;
  remove(ref: string, options: { force?: boolean; noPrune?: boolean }): Promise<{ untagged: readonly string[]; deleted: readonly string[] }>;
  prune(options: { all?: boolean }): Promise<{ deleted: readonly string[]; reclaimedBytes: number }>;
  tag(source: string, target: string): Promise<void>;
  /** `file`: a path, or /dev/stdin. Returns the images' ids and familiar names. */
  load(file: string, signal?: AbortSignal): Promise<readonly { id: string; names: readonly string[] }[]>;
  save(refs: readonly string[], file: string): Promise<void>;
  import(file: string, options: { ref?: string; changes?: readonly string[]; message?: string; signal?: AbortSignal }): Promise<string>;
  login(server: string, user: string, password: string, signal?: AbortSignal): Promise<void>;
  /** False when there was no login for the server. */
  logout(server: string): Promise<boolean>;
}

export interface NetworkCreateOptions {
  readonly name: string;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
  readonly internal?: boolean;
  readonly labels?: readonly string[];
}

/** A network's record (subnet, gateway, labels, ...) and how many containers are on it. */
export interface NetworkRow {
  readonly [field: string]: unknown;
  readonly name: string;
  readonly bridge: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly internal: boolean;
  readonly containers: number;
}

export interface NetworkService {
  create(options: NetworkCreateOptions): Promise<string>;
  list(): Promise<readonly NetworkRow[]>;
  /** undefined when there is no such network. */
  inspect(name: string): Promise<Record<string, unknown> | undefined>;
  remove(name: string, options: { force?: boolean }): Promise<void>;
}
