/**
 * The engine's verbs, one method each, as the CLI calls them. Implemented by
 * `src/engine/` (`createEngine`). Every long call takes an AbortSignal in its options.
 */
import type {
  BuildOptions,
  CommonOptions,
  EngineInfo,
  PullOptions,
  PushOptions,
  CopyOptions,
  AttachOptions,
  ExportOptions,
  VolumeSummary,
  ContainerSummary,
  EventsOptions,
  ImageSummary,
  PortOptions,
  ScaleOptions,
  StatsRow,
  TopResult,
  WaitOptions,
  CreateOptions,
  DownOptions,
  ExecOptions,
  KillOptions,
  LogsOptions,
  MonitorOptions,
  ProjectSummary,
  PsOptions,
  RemoveOptions,
  RunOptions,
  StopOptions,
  VerbPlanOptions,
  LsOptions,
  StatsOptions,
  RestartOptions,
  StartOptions,
  UpOptions,
  UpResult,
} from './options.js';

export interface Engine {
  up(options: UpOptions): Promise<UpResult>;
  /** `up --dry-run`: the plan `up` would execute, as text (one operation a line, `<-` its dependencies); changes nothing. */
  planUp(options: UpOptions): Promise<string>;
  create(options: CreateOptions): Promise<void>;
  down(options: DownOptions): Promise<void>;
  /** `down --dry-run`: the plan `down` would execute, as text; changes nothing. */
  planDown(options: DownOptions): Promise<string>;
  start(options: StartOptions): Promise<void>;
  /** `--dry-run` of start, stop, restart, kill, pause, unpause, rm: what it would do, as text; changes nothing. */
  planVerb(options: VerbPlanOptions): Promise<string>;
  stop(options: StopOptions): Promise<void>;
  restart(options: RestartOptions): Promise<void>;
  kill(options: KillOptions): Promise<void>;
  remove(options: RemoveOptions): Promise<void>;
  pause(options: CommonOptions): Promise<void>;
  unpause(options: CommonOptions): Promise<void>;
  ps(options: PsOptions): Promise<readonly ContainerSummary[]>;
  logs(options: LogsOptions): Promise<void>;
  /** Returns the command's exit code. */
  exec(options: ExecOptions): Promise<number>;
  /** Returns the one-off container's exit code. */
  run(options: RunOptions): Promise<number>;
  ls(options: LsOptions): Promise<readonly ProjectSummary[]>;
  top(options: CommonOptions): Promise<readonly TopResult[]>;
  /** `0.0.0.0:8080` for a published private port, or undefined. */
  port(options: PortOptions): Promise<string | undefined>;
  images(options: CommonOptions): Promise<readonly ImageSummary[]>;
  /** Waits for the first service container to exit; returns its exit code. */
  wait(options: WaitOptions): Promise<number>;
  events(options: EventsOptions): Promise<void>;
  stats(options: StatsOptions): Promise<readonly StatsRow[]>;
  scale(options: ScaleOptions): Promise<void>;
  cp(options: CopyOptions): Promise<void>;
  /** Follows a service container's output until it exits; returns its exit code. */
  attach(options: AttachOptions): Promise<number>;
  /** Writes a service container's filesystem (image layers and its changes) as a tar archive. */
  export(options: ExportOptions): Promise<void>;
  /** The project's volumes (those the named services mount, when services are named). */
  volumes(options: CommonOptions): Promise<readonly VolumeSummary[]>;
  /** Pulls the services' images (compose's pull); progress and failures as image events. */
  pull(options: PullOptions): Promise<void>;
  push(options: PushOptions): Promise<void>;
  /** Builds the services' images (one build per image name), progress as image events. */
  build(options: BuildOptions): Promise<void>;
  /** Follows a running project until the signal aborts (the dashboard's feed); status events are not recorded. */
  monitor(options: MonitorOptions): Promise<void>;
  /** `berth info`. */
  info(): Promise<EngineInfo>;
}
