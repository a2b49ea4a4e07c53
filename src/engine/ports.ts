/**
 * The engine's seams: what it needs from the runtime, image and network modules, as small
 * interfaces. `adapters/` binds them to the real modules; tests bind fakes. Keeping the
 * engine on these (rather than on the modules' full surfaces) lets the observe/plan/execute
 * logic be tested without a kernel, and isolates the engine from their API churn.
 */
import type {
  ContainerConfig,
  ContainerState,
  DetachedExecOptions as RtDetachedExecOptions,
  ExecOptions as RtExecOptions,
  ExecResult,
  ExitStatus,
  LogLine as RtLogLine,
  LogOptions as RtLogOptions,
  ContainerStats,
  StopOutcome,
} from '../runtime/index.js';
import type { LocalImage, PullPolicy, ImageProgressEvent } from '../image/index.js';
import type { ImageEvent, WarningEvent } from '../api/index.js';
import type { Project } from '../spec/index.js';
import type { AttachmentSpec, DnsResponder, Endpoint, HostsOptions, NetworkConfig, NetworkRecord, PortMapping, PortRequest, PublishedPort } from '../network/index.js';

export interface RuntimePort {
  /**
   * Creates the container; `onCreated` runs at the shim's sync point (wire the network there);
   * `onWarning` hears what the host could not apply (a clamped ulimit, a cgroup file it lacks).
   */
  create(config: ContainerConfig, onCreated?: (info: { pid: number; netnsPath: string }) => Promise<void>, onWarning?: (message: string) => void): Promise<void>;
  /**
   * Runs an exited (or created) container again from config with the same id, keeping its
   * writable layer (Docker's restart): new process, namespaces and cgroup; `onCreated` wires
   * the network again. A missing container is created.
   */
  recreate(config: ContainerConfig, onCreated?: (info: { pid: number; netnsPath: string }) => Promise<void>, onWarning?: (message: string) => void): Promise<void>;
  start(id: string): Promise<void>;
  /** Replaces the container's /etc/hosts (its init layer) before the service starts. */
  writeHosts(id: string, text: string): Promise<void>;
  /**
   * Host paths of the container's /etc/hosts, /etc/hostname, /etc/resolv.conf (its init
   * layer, kept across restarts), for `network_mode: service:X` to share them.
   */
  etcFiles?(id: string): Promise<{ readonly hosts: string; readonly hostname: string; readonly resolvConf: string }>;
  /**
   * Signal, wait up to timeoutMs, then SIGKILL (at once when pid 1 has no handler for the
   * signal, so could never hear it). Idempotent on an exited container.
   */
  stop(id: string, options: { signal?: string; timeoutMs?: number }): Promise<StopOutcome>;
  kill(id: string, signal: string): Promise<void>;
  /** TCP ports listened on in the container's network namespace; undefined when it does not run. */
  listening?(id: string): Promise<ReadonlySet<number> | undefined>;
  /** Resolves when the container exits (at once when it has). */
  wait(id: string, signal?: AbortSignal): Promise<ExitStatus>;
  /** Deletes everything of the container; a missing container counts as deleted. */
  remove(id: string): Promise<void>;
  state(id: string): Promise<ContainerState | undefined>;
  list(): Promise<readonly ContainerState[]>;
  exec(id: string, options: RtExecOptions): Promise<ExecResult>;
  /** `exec -d`: resolves once the process runs (output discarded); rejects when it cannot start. */
  execDetached(id: string, options: RtDetachedExecOptions): Promise<void>;
  /** Interactive exec with the caller's stdio; resolves with the exit code. */
  execAttached?(id: string, options: RtExecOptions, stdio: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream }): Promise<number>;
  /** The log's lines a batch at a time (a follower's read: one hand-over per batch, not per line). */
  logs(id: string, options: RtLogOptions): AsyncIterable<readonly RtLogLine[]>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  stats(id: string): Promise<ContainerStats>;
  /** The dirs that make up the container's root filesystem, top first (`export`). */
  rootfsLayers?(id: string): Promise<readonly string[]>;
}

export interface ImagePort {
  /** Pull per policy; progress through onProgress. */
  ensure(ref: string, policy: PullPolicy, options: { signal?: AbortSignal; onProgress?: (e: ImageProgressEvent) => void }): Promise<LocalImage>;
  /** The local image for ref, or undefined (never pulls). */
  resolveLocal(ref: string): Promise<LocalImage | undefined>;
  hold(id: string, holder: string): Promise<void>;
  release(id: string, holder: string): Promise<void>;
  /** Removes a local image name (down --rmi); missing = done. */
  remove(ref: string): Promise<void>;
  /** Uploads the local image `ref` to the registry its name points at (`berth push`). */
  push?(ref: string, options: { signal?: AbortSignal; onProgress?: (e: ImageProgressEvent) => void }): Promise<void>;
  /** Deletes image `id` if it is dangling (no name, no container holds it); true when it went (watch --prune). */
  removeDangling?(id: string): Promise<boolean>;
}

export interface NetworkPort {
  /** `onRecorded`: the record (subnet, gateway) exists; the bridge may not yet. */
  ensureNetwork(config: NetworkConfig, options?: { onRecorded?: () => void; onBridged?: () => void }): Promise<NetworkRecord>;
  /** Best effort and idempotent. `onRequested`: called once the kernel was asked to delete the bridge (the rest is waiting). */
  removeNetwork(name: string, options?: { onRequested?: () => void }): Promise<void>;
  /** Names of networks that exist (records on disk). */
  listNetworks(): Promise<readonly NetworkRecord[]>;
  attach(containerId: string, netnsPath: string, attachments: readonly AttachmentSpec[]): Promise<readonly Endpoint[]>;
  /** Removes the container's endpoints, leases and DNS records; idempotent. */
  detach(containerId: string, options?: { keepLinksOn?: readonly string[] }): Promise<void>;
  checkPortsFree(requests: readonly PortRequest[]): Promise<void>;
  publish(containerId: string, service: string, ports: readonly PortMapping[]): Promise<readonly PublishedPort[]>;
  unpublish(containerId: string): Promise<void>;
  startDns(network: string): Promise<DnsResponder>;
  /** Whether the network's embedded DNS answers now (the supervisor's responder is bound); absent: never waited for. */
  dnsServing?(network: string): Promise<boolean>;
  /** /etc/resolv.conf for a container on `network` (embedded DNS), or the host's. */
  resolvConf(network: string | undefined, options: { dns?: readonly string[]; dnsSearch?: readonly string[]; dnsOptions?: readonly string[] }): Promise<string>;
  /** /etc/hosts for a container: localhost, extra hosts, its own addresses -> hostname. */
  hosts(options: HostsOptions): Promise<string>;
  info(): Promise<Readonly<Record<string, string | boolean>>>;
  /** Keeps the network namespaces of these pids alive until release() (see network/hold-namespaces). */
  holdNamespaces?(pids: readonly number[]): Promise<() => void>;
  /** Releases shared resources (a netlink session) at the end of a command. */
  close?(): Promise<void>;
}

/** Builds a service's image from its compose `build:` (src/build); progress as engine events. */
export interface BuildPort {
  build(
    project: Project,
    service: string,
    options: {
      readonly noCache?: boolean;
      readonly pull?: boolean;
      readonly buildArgs?: Readonly<Record<string, string | undefined>>;
      /** Entitlements (`network.host`). */
      readonly allow?: readonly string[];
      readonly signal?: AbortSignal;
      onEvent(e: Omit<ImageEvent, 'time'> | Omit<WarningEvent, 'time'>): void;
    },
  ): Promise<LocalImage>;
}

/** How the per-project supervisor is run: a detached process by default; in-process in tests. */
export interface SupervisorPort {
  ensure(project: string): void;
  stop(project: string): Promise<void>;
}

export interface EnginePorts {
  readonly runtime: RuntimePort;
  readonly images: ImagePort;
  readonly network: NetworkPort;
  readonly supervisor?: SupervisorPort;
  /** The image builder (`build:`); absent in engines that cannot build. */
  readonly builder?: BuildPort;
}
