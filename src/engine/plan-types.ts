/** The plan: pure data, a DAG of operations with a readable `toString()`. */

export type OpKind =
  | 'create-network'
  | 'create-volume'
  | 'create'
  | 'start'
  | 'keep'
  | 'stop'
  | 'remove'
  | 'wait'
  | 'remove-network'
  | 'remove-volume';

export type WaitCondition = 'started' | 'healthy' | 'completed' | 'running';

export interface Operation {
  /** Unique, stable id (`start:hello-web-1`). */
  readonly id: string;
  readonly kind: OpKind;
  /** Object the operation acts on: container, network or volume name, or service (wait). */
  readonly target: string;
  readonly service?: string;
  readonly number?: number;
  /** Why (`new`, `config changed`, `orphan`, `scale down`, ...). */
  readonly reason?: string;
  readonly condition?: WaitCondition;
  /** Ids of operations that must succeed first. */
  readonly deps: readonly string[];
  /** For wait: a non-required dependency only warns when it fails. */
  readonly optional?: boolean;
}

/** A container as found on the host (from the runtime's state and labels). */
export interface ObservedContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  readonly number: number;
  readonly hash: string | undefined;
  readonly imageId: string | undefined;
  readonly status: 'created' | 'running' | 'paused' | 'exited';
  readonly oneoff: boolean;
  /** `berth.depends-on` label parsed: service -> condition. */
  readonly dependsOn: readonly string[];
}

export interface Observed {
  readonly containers: readonly ObservedContainer[];
  /** Real names of networks and volumes that exist. */
  readonly networks: ReadonlySet<string>;
  readonly volumes: ReadonlySet<string>;
  /** Local image id of each service's image, when present. */
  readonly imageIds: ReadonlyMap<string, string>;
}

export interface Plan {
  readonly operations: readonly Operation[];
  readonly warnings: readonly string[];
  toString(): string;
}
