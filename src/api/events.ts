/**
 * What the engine tells the world. Renderers (`src/ui/`) turn these into text; the engine
 * never formats for a terminal. Every event is plain JSON (for `berth events --json`).
 */
import type { DeployEvent } from './deploy.js';
import type { ContainerSummary } from './options.js';

export type ContainerAction =
  | 'creating'
  | 'created'
  | 'starting'
  | 'started'
  | 'healthy'
  | 'unhealthy'
  | 'exited'
  | 'restarting'
  | 'stopping'
  | 'stopped'
  | 'killing'
  | 'killed'
  | 'removing'
  | 'removed'
  | 'recreating'
  | 'running'
  | 'paused'
  | 'unpaused'
  | 'waiting';

export interface ContainerEvent {
  readonly kind: 'container';
  readonly action: ContainerAction;
  readonly time: number;
  readonly project: string;
  readonly service: string;
  /** Container name (`hello-web-1`). */
  readonly container: string;
  readonly id?: string;
  readonly exitCode?: number;
  /** Free-form detail: restart delay, health output, reason for recreation. */
  readonly detail?: string;
  /** `restarting`: which restart this is (1 = the first) and when it happens (ms since epoch). */
  readonly attempt?: number;
  readonly restartAt?: number;
  /** `exited`: the kernel's OOM killer ended it (the cgroup counted an oom_kill). */
  readonly oomKilled?: boolean;
  /** `waiting`: the services whose start waits for this one (`depends_on`); `detail` is the condition. */
  readonly waiters?: readonly string[];
}

export type ImageAction = 'pulling' | 'progress' | 'pulled' | 'pushing' | 'pushed' | 'building' | 'built' | 'exists' | 'removed' | 'error';

export interface ImageEvent {
  readonly kind: 'image';
  readonly action: ImageAction;
  readonly time: number;
  readonly image: string;
  /** Services that use the image. */
  readonly services?: readonly string[];
  /** Bytes done and total over all layers (progress). */
  readonly current?: number;
  readonly total?: number;
  /** `progress`: bytes per layer (short digest), in the manifest's order. */
  readonly layers?: readonly LayerProgress[];
  /** `building`: the Dockerfile step being run (1-based) of `steps`. */
  readonly step?: number;
  readonly steps?: number;
  readonly detail?: string;
}

export interface LayerProgress {
  readonly id: string;
  readonly current: number;
  readonly total: number;
}

export interface NetworkEvent {
  readonly kind: 'network';
  readonly action: 'creating' | 'created' | 'exists' | 'removing' | 'removed';
  readonly time: number;
  readonly project: string;
  /** Full network name (`hello_default`). */
  readonly network: string;
}

export interface VolumeEvent {
  readonly kind: 'volume';
  readonly action: 'created' | 'exists' | 'removed';
  readonly time: number;
  readonly project: string;
  readonly volume: string;
}

export interface WarningEvent {
  readonly kind: 'warning';
  readonly time: number;
  readonly message: string;
  readonly service?: string;
}

/** A line of information for the user (`berth watch`: "Syncing service web after 2 changes"). */
export interface InfoEvent {
  readonly kind: 'info';
  readonly time: number;
  readonly message: string;
  readonly service?: string;
}

/** A step finished with an error (the operation names the object). */
export interface ErrorEvent {
  readonly kind: 'error';
  readonly time: number;
  readonly message: string;
  readonly service?: string;
  readonly container?: string;
  readonly code?: string;
}

/** One container as a status snapshot sees it (`monitor`): what `ps` shows plus health, restarts and cgroup usage. */
export interface ContainerStatus extends Pick<ContainerSummary, 'name' | 'service' | 'number' | 'state' | 'health' | 'exitCode' | 'startedAt' | 'ports'> {
  /** Output of the last health probe (trimmed, at most 200 characters). */
  readonly lastProbe?: string;
  readonly oomKilled?: boolean;
  /** Restarts by the restart policy and by `restart` (the user's). */
  readonly restarts: number;
  /** A restart is scheduled for then (ms since epoch). */
  readonly restartAt?: number;
  /** Percent of one CPU since the previous snapshot. */
  readonly cpuPercent?: number;
  readonly memoryBytes?: number;
  readonly memoryLimitBytes?: number;
}

/** A project's containers at one moment (`monitor` sends one per interval); never recorded in events.jsonl. */
export interface StatusEvent {
  readonly kind: 'status';
  readonly time: number;
  readonly project: string;
  readonly containers: readonly ContainerStatus[];
}

/** What watch did (sync, restart, rebuild) or saw (changed paths), for renderers beside the logs. */
export interface WatchEvent {
  readonly kind: 'watch';
  readonly time: number;
  readonly action: 'watching' | 'changed' | 'syncing' | 'synced' | 'restarting' | 'restarted' | 'rebuilding' | 'rebuilt' | 'stopped' | 'error';
  readonly service?: string;
  /** Paths (relative to the project) or a short message. */
  readonly detail?: string;
}

export type EngineEvent = ContainerEvent | ImageEvent | NetworkEvent | VolumeEvent | WarningEvent | InfoEvent | ErrorEvent | DeployEvent | StatusEvent | WatchEvent;

/** One line of a container's output. */
export interface LogLine {
  readonly service: string;
  readonly container: string;
  /** Replica number (1-based), for `--index` and colours. */
  readonly number: number;
  readonly stream: 'stdout' | 'stderr';
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The line without its trailing newline. */
  readonly text: string;
  /** Lines of this container skipped just before this one to keep a screen current (`logSkip`); the log file has them. */
  readonly skipped?: number;
  /** `skipped` is an estimate (a service logging flat out: the skipped part was not read). */
  readonly skippedEstimate?: true;
}

/** Where events go: the CLI hands one to the engine; tests collect into an array. */
export type EventSink = (event: EngineEvent) => void;
export type LogSink = (line: LogLine) => void;

/** Helpers to build events with the time filled in (a clock is injectable in tests). */
export function now(): number {
  return Date.now();
}
