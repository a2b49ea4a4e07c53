/** The plan: pure data, a DAG of operations with a readable `toString()`. */

export type WaitCondition = 'started' | 'healthy' | 'completed' | 'running';

interface OpBase {
  /** Unique, stable id (`start:hello-web-1`). */
  readonly id: string;
  /** Object the operation acts on: container, network or volume name, or service (wait). */
  readonly target: string;
  /** Ids of operations that must succeed first. */
  readonly deps: readonly string[];
  /** Why (`new`, `config changed`, `orphan`, `scale down`, ...). */
  readonly reason?: string;
  /** The service the operation concerns (container ops, waits). */
  readonly service?: string;
}

/**
 * A network of the project is made in three phases, each an operation: its record (subnet
 * and gateway chosen: containers may be created), its bridge (containers may be attached),
 * its firewall rules (containers may be started). `key` is the compose key (`default`).
 */
export interface NetworkOp extends OpBase {
  readonly kind: 'create-network' | 'bridge-network' | 'firewall-network';
  readonly key: string;
}

/**
 * down: `remove-network` asks the kernel to delete the bridge (the containers' removal
 * may start then, while the kernel works); `network-removed` waits for the deletion to end
 * and forgets the record.
 */
export interface NetworkRemovalOp extends OpBase {
  readonly kind: 'remove-network' | 'network-removed';
}

export interface VolumeOp extends OpBase {
  readonly kind: 'create-volume' | 'remove-volume';
  /** Compose key (create-volume); the real name is `target`. */
  readonly key?: string;
}

/**
 * One replica's container. `create` runs it up to the point where the engine wires its
 * network (the shim waits at its sync point); `attach` wires it (veths, addresses, /etc/hosts)
 * and lets it finish; `start` starts the service process.
 */
export interface ContainerOp extends OpBase {
  readonly kind: 'create' | 'attach' | 'start' | 'keep' | 'stop' | 'remove';
  readonly service: string;
  readonly number: number;
}

export interface WaitOp extends OpBase {
  readonly kind: 'wait';
  readonly service: string;
  readonly condition: WaitCondition;
  /** A non-required dependency only warns when it fails. */
  readonly optional?: boolean;
}

/** One step of a plan, discriminated by `kind`. */
export type Operation = NetworkOp | NetworkRemovalOp | VolumeOp | ContainerOp | WaitOp;
export type OpKind = Operation['kind'];

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
