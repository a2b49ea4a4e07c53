/** The deploy plan's data: targets, fidelity verdicts, the report. Pure types. */
import type { ProjectSource } from './options.js';
import type { WarningEvent } from './events.js';

export type DeployTarget = 'swarm' | 'kubernetes';

/**
 * How faithfully a compose key reaches the target:
 * - exact: same meaning;
 * - approximate: mapped to the nearest thing the target has (the note says how);
 * - dropped: the target has nothing for it, it is left out;
 * - refused: berth will not deploy it (it would run wrong without it).
 */
export type Verdict = 'exact' | 'approximate' | 'dropped' | 'refused';

export interface Fidelity {
  readonly verdict: Verdict;
  readonly note?: string;
}

/** One key of the project and its verdict (`services.web.healthcheck`). */
export interface FidelityEntry extends Fidelity {
  /** Tree path as written in the compose file: `services.web.ports`, `secrets.token`. */
  readonly path: string;
}

export interface FidelityReport {
  readonly target: DeployTarget;
  readonly project: string;
  /** Sorted by path. */
  readonly entries: readonly FidelityEntry[];
}

/** A cluster object's progress (`Service web  Created`, `Task web.1  Running`). */
export type DeployAction = 'applied' | 'creating' | 'created' | 'updating' | 'updated' | 'unchanged' | 'removing' | 'removed' | 'waiting' | 'running' | 'failed';

export interface DeployEvent {
  readonly kind: 'deploy';
  readonly action: DeployAction;
  readonly time: number;
  readonly project: string;
  /** The object's kind as the target names it: `Service`, `Secret`, `Deployment`, `Task`. */
  readonly object: string;
  readonly name: string;
  readonly detail?: string;
}

/** `berth deploy` / `berth convert` options (the CLI fills them from flags). */
export interface DeployOptions {
  readonly source: ProjectSource;
  readonly target: DeployTarget;
  /** Refuse every key that is not `exact`. */
  readonly strict?: boolean;
  /** Kubernetes: the kubeconfig context (default: the current one). */
  readonly context?: string;
  /** Kubernetes: the namespace (default: the context's). */
  readonly namespace?: string;
  /** Swarm: the Docker Engine socket (default: DOCKER_HOST or /var/run/docker.sock). */
  readonly dockerSocket?: string;
  /** `--down`: also remove the project's named volumes (data), as `berth down -v`. */
  readonly volumes?: boolean;
  /** Swarm: run each image berth holds as `image@digest` (after `berth push`: the digest the registry has). */
  readonly pinImages?: boolean;
  /** Return once the objects are applied, without waiting for the rollout. */
  readonly noWait?: boolean;
  readonly onEvent?: (event: DeployEvent | WarningEvent) => void;
  readonly signal?: AbortSignal;
}

export interface ConvertOptions {
  readonly source: ProjectSource;
  readonly format: 'kubernetes';
  readonly strict?: boolean;
}

/** One file of `berth convert` output: `<kind>-<name>.yaml`, or one stream of all objects. */
export interface ConvertedFile {
  readonly name: string;
  readonly text: string;
}

/** A task or pod of a deployed service (`berth deploy --ps`). */
export interface DeployedTask {
  readonly service: string;
  readonly name: string;
  readonly state: string;
  readonly desired: string;
  readonly node?: string;
  readonly error?: string;
}

/** The deploy backends, as the CLI calls them (implemented by src/deploy/). */
export interface Deployer {
  explain(options: DeployOptions): Promise<FidelityReport>;
  convert(options: ConvertOptions): Promise<readonly ConvertedFile[]>;
  /** What `deploy` would do, as text (`--dry-run`); asks the cluster, changes nothing. */
  plan(options: DeployOptions): Promise<string>;
  deploy(options: DeployOptions): Promise<void>;
  down(options: DeployOptions): Promise<void>;
  ps(options: DeployOptions): Promise<readonly DeployedTask[]>;
}
