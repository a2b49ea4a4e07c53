// Public types of berth's embedded container runtime. The runtime knows nothing of compose:
// the engine translates a compose Service into a ContainerConfig.

/** A container id: [a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}. Branded so ids and names don't mix. */
export type ContainerId = string & { readonly __brand: 'ContainerId' };

/** Where the runtime keeps its state; both default from the environment. */
export interface RuntimeContext {
  /** $BERTH_ROOT (default /var/lib/berth): containers/<id>/ holds config, state, rw layer, logs. */
  readonly root: string;
  /** $BERTH_RUN (default /run/berth): runtime-only files (sockets, exec fifo). */
  readonly run: string;
  /** Path of the built shim binary (default native/build/berth-shim). */
  readonly shimPath: string;
  /** cgroup filesystem root (default /sys/fs/cgroup); a seam for tests with a fake tree. */
  readonly cgroupRoot: string;
}

export type RootfsConfig =
  /** Image layer dirs, top first: overlayfs lowers + a per-container upper under $BERTH_ROOT. */
  | { readonly lowerDirs: readonly string[] }
  /**
   * A plain directory. 'overlay' (the default): the lower layer of an overlay, the dir itself
   * is never written. 'direct' (podman's `--rootfs DIR`): the dir is the container's root
   * (bind-mounted in the container's own mount namespace, writes go to it), with the init
   * files (/etc/hostname, /etc/hosts, /etc/resolv.conf) bind-mounted over the dir's own as
   * Docker does; no overlay to mount, no rw layer. With `userns: 'auto'` the overlay is used.
   */
  | { readonly dir: string; readonly mode?: 'overlay' | 'direct' };

export type Propagation = 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';

export type MountConfig =
  | {
      readonly type: 'bind';
      readonly source: string;
      readonly target: string;
      readonly readOnly?: boolean;
      readonly propagation?: Propagation;
      /** Create the host path (a dir) when missing (compose `bind.create_host_path`, default true). */
      readonly createHostPath?: boolean;
    }
  | { readonly type: 'tmpfs'; readonly target: string; readonly sizeBytes?: number; readonly mode?: number; readonly readOnly?: boolean };

/** 'new': own namespace; 'host': share the host's; { path }: join e.g. /proc/<pid>/ns/net. */
export type NamespaceMode = 'new' | 'host' | { readonly path: string };

export interface NamespacesConfig {
  readonly net?: NamespaceMode;
  readonly pid?: NamespaceMode;
  readonly ipc?: NamespaceMode;
  readonly uts?: NamespaceMode;
  readonly cgroup?: NamespaceMode;
}

export interface UserSpec {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
}

export interface ProcessConfig {
  readonly args: readonly string[];
  /** `KEY=value` entries. PATH is added when missing. */
  readonly env?: readonly string[];
  /** Absolute path inside the container (default /). */
  readonly cwd?: string;
  /** Numeric identity; use resolveUser() to turn `name[:group]` into ids from the rootfs. */
  readonly user?: UserSpec;
  readonly tty?: boolean;
  /** Keep stdin open (the shim's stdin is given to the container). */
  readonly stdin?: boolean;
}

export interface ResourcesConfig {
  /** Bytes. */
  readonly memory?: number;
  /** Bytes, memory + swap (-1 = unlimited). */
  readonly memorySwap?: number;
  readonly memoryReservation?: number;
  /** Microseconds per period; cpus = cpuQuota / cpuPeriod. */
  readonly cpuQuota?: number;
  readonly cpuPeriod?: number;
  readonly cpuShares?: number;
  /** e.g. "0-1". */
  readonly cpuset?: string;
  readonly pidsLimit?: number;
  /** 10..1000, where the host has it. */
  readonly blkioWeight?: number;
  /** Per-device weights and throttles; `device` is a host device path (the runtime finds its numbers). */
  readonly blkioWeightDevice?: readonly BlkioDeviceValue[];
  readonly blkioReadBps?: readonly BlkioDeviceValue[];
  readonly blkioWriteBps?: readonly BlkioDeviceValue[];
  readonly blkioReadIops?: readonly BlkioDeviceValue[];
  readonly blkioWriteIops?: readonly BlkioDeviceValue[];
  /** v1 memory.oom_control (no v2 equivalent). */
  readonly oomKillDisable?: boolean;
  /** 0..100, v1 memory.swappiness (no v2 equivalent). */
  readonly memorySwappiness?: number;
}

export interface BlkioDeviceValue {
  readonly device: string;
  readonly value: number;
}

export interface Ulimit {
  /** Docker names: nofile, nproc, core, memlock, stack, ... */
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface InitFiles {
  /** Contents of /etc/hostname, /etc/hosts, /etc/resolv.conf in the init layer (defaults generated). */
  readonly hosts?: string;
  readonly resolvConf?: string;
}

/** A host device given to the container (compose `devices: [HOST:CONTAINER:rwm]`). */
export interface DeviceConfig {
  readonly hostPath: string;
  /** Default: hostPath. */
  readonly containerPath?: string;
  /** Subset of "rwm" (default "rwm"). */
  readonly permissions?: string;
}

export interface ContainerImage {
  /** Image id (config digest). */
  readonly id: string;
  /** The reference it was run as (e.g. busybox:latest). */
  readonly name?: string;
}

export interface ContainerConfig {
  readonly id: string;
  /** Human name (`berth container ls`); defaults to the id. */
  readonly name?: string;
  readonly rootfs: RootfsConfig;
  /**
   * The image the rootfs layers come from (none for a plain rootfs dir). Recorded only: the
   * runtime does not read it; `berth container commit` uses it as the parent image.
   */
  readonly image?: ContainerImage;
  readonly readOnly?: boolean;
  readonly process: ProcessConfig;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly mounts?: readonly MountConfig[];
  readonly devices?: readonly DeviceConfig[];
  /** More device-cgroup allow rules (compose `device_cgroup_rules`: `c 1:3 mr`), no node made. */
  readonly deviceCgroupRules?: readonly string[];
  readonly namespaces?: NamespacesConfig;
  readonly initFiles?: InitFiles;
  readonly resources?: ResourcesConfig;
  /** Docker names without CAP_ (CHOWN, NET_ADMIN) or ALL. */
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly privileged?: boolean;
  /** Default true (as berth's security baseline). */
  readonly noNewPrivileges?: boolean;
  readonly seccomp?: 'default' | 'unconfined';
  readonly ulimits?: readonly Ulimit[];
  /** Namespaced sysctls only (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*). */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** A tiny pid 1 that reaps zombies and forwards signals. */
  readonly init?: boolean;
  /** Default SIGTERM. */
  readonly stopSignal?: string;
  /** Default 10000. */
  readonly stopTimeoutMs?: number;
  /** Default 64 MiB. */
  readonly shmSizeBytes?: number;
  /** Default 10 MiB: the log file is rotated at this size. */
  readonly logMaxBytes?: number;
  /** Log files in all, the current one included (Docker's max-file); default 2 (<log> and <log>.1). */
  readonly logMaxFiles?: number;
  /** No log file at all (compose `logging.driver: none`): `logs` and attaching show nothing. */
  readonly noLog?: boolean;
  /** /proc/<pid>/oom_score_adj of the container's processes (-1000..1000). */
  readonly oomScoreAdj?: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** OCI annotations (compose `annotations`): recorded with the container (`berth container inspect`), not read by the runtime. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Remove all state when the container exits (`--rm`), done by the shim itself. */
  readonly autoRemove?: boolean;
  /** 'auto': map root to an unprivileged range (not implemented yet: rejected). */
  readonly userns?: 'host' | 'auto';
}

export interface CreateHooks {
  /**
   * Runs once the container's namespaces exist and before the service executes:
   * the place to put veths into `netnsPath` (/proc/<pid>/ns/net).
   */
  onCreated?(info: { readonly pid: number; readonly netnsPath: string }): Promise<void>;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited';

export interface ContainerState {
  readonly id: ContainerId;
  readonly name: string;
  readonly status: ContainerStatus;
  /** Host pid of the container's pid 1 (0 when exited). */
  readonly pid: number;
  /** Host pid of the shim (the monitor). */
  readonly shimPid: number;
  readonly exitCode: number | undefined;
  readonly oomKilled: boolean;
  readonly createdAt: string;
  readonly startedAt: string | undefined;
  readonly finishedAt: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly args: readonly string[];
}

export interface ExitStatus {
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** Signal name when the process was killed by a signal. */
  readonly signal: string | undefined;
}

export interface ExecOptions {
  readonly args: readonly string[];
  readonly env?: readonly string[];
  readonly cwd?: string;
  readonly user?: UserSpec;
  readonly tty?: boolean;
  /** Give the exec'd process this stdin (default none). */
  readonly stdin?: boolean;
  /**
   * `docker exec --privileged`: this process gets every capability (bounding, effective,
   * permitted) and no seccomp filter, in a container that is not privileged too. The
   * container's other processes, masked paths and device rules are unchanged.
   */
  readonly privileged?: boolean;
  readonly signal?: AbortSignal;
  /** execInContainer: keep at most this many bytes of each stream (the rest is read and dropped); default 1 MiB. */
  readonly maxOutputBytes?: number;
}

/** `exec -d`: no terminal, no stdin; the output is discarded (as Docker's). */
export type DetachedExecOptions = Omit<ExecOptions, 'tty' | 'stdin' | 'signal' | 'maxOutputBytes'>;

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ContainerStats {
  readonly id: ContainerId;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number | undefined;
  readonly cpuNanos: number;
  readonly pids: number;
}

export interface LogLine {
  /** ISO time with nanoseconds. */
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** Lines the follower skipped just before this one to keep up (`skipAfter`); they are in the file. */
  readonly skipped?: number;
  /** `skipped` is estimated from the average length of the lines read (the skipped bytes were not read). */
  readonly skippedEstimate?: true;
}

export interface LogOptions {
  readonly follow?: boolean;
  /** Following: when the file is more than this many bytes ahead, skip to its newest part (for a screen). */
  readonly skipAfter?: number | undefined;
  /** Last N lines. */
  readonly tail?: number | undefined;
  /** ISO time; lines at or after. */
  readonly since?: string | undefined;
  /** ISO time; lines before it (without follow, with `tail` or `head`). */
  readonly before?: string | undefined;
  /** The first N lines (without follow and `tail`). */
  readonly head?: number | undefined;
  readonly signal?: AbortSignal;
}

export interface StopOptions {
  readonly signal?: string;
  readonly timeoutMs?: number;
}

/**
 * How a stop ended: `stopped` (exited on the stop signal within the grace period, or was
 * exiting), `killed-after-grace`, `killed-at-once` (pid 1 has no handler for the stop signal,
 * so it could never hear it: SIGKILL without waiting), `not-running` (had exited before).
 */
export type StopOutcome = 'stopped' | 'killed-after-grace' | 'killed-at-once' | 'not-running';
