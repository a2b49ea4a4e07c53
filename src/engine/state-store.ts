/**
 * The project record on disk: $BERTH_ROOT/projects/<name>/project.json, written atomically
 * (temp file + rename) before and after every kernel change, so a crash at any moment
 * leaves a record that `up` adopts and `down` completes. Container truth is the runtime's
 * own state (labels); this record adds what the runtime does not know: networks, volumes,
 * containers being created, the service settings the supervisor needs, the supervisor pid.
 */
import type { HealthState } from './health.js';
import { hasFields, isObject, readJsonFile, writeJsonFile } from '../util/json-file.js';
const { mkdirSync, rmSync, readdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

export type Phase = 'creating' | 'created' | 'removing';

export interface ContainerEntry {
  readonly id: string;
  readonly service: string;
  readonly number: number;
  readonly phase: Phase;
  /** Set by stop/kill/down: the supervisor must not restart it. */
  readonly stoppedByUser?: boolean;
  readonly oneoff?: boolean;
}

export interface ResourceEntry {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly phase: Phase;
}

const isProjectRecord = (v: unknown): v is ProjectRecord =>
  hasFields(v, { name: 'string', containers: 'object', networks: 'object', volumes: 'object', services: 'object?' }) && Object.values(v.containers as object).every(isObject);
const isStatusRecord = (v: unknown): v is ContainerStatusRecord => hasFields(v, { restarts: 'number' });
const isPortRecords = (v: unknown): v is PublishedPortRecord[] => Array.isArray(v) && v.every(isObject);

export interface ProjectRecord {
  readonly name: string;
  readonly workingDir: string;
  readonly configFiles: readonly string[];
  readonly updatedAt: string;
  readonly containers: Readonly<Record<string, ContainerEntry>>;
  readonly networks: Readonly<Record<string, ResourceEntry>>;
  readonly volumes: Readonly<Record<string, ResourceEntry>>;
  /** Supervisor settings per service (restart policy, healthcheck), so it works without the compose file. */
  readonly services: Readonly<Record<string, SupervisedService>>;
}

export interface SupervisedService {
  readonly restart: string;
  readonly maxRetries?: number;
  readonly healthcheck?: {
    readonly test: readonly string[];
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly retries: number;
    readonly startPeriodMs: number;
    readonly startIntervalMs: number;
  };
  /** Services to restart when this one is restarted by berth (`depends_on.restart: true`). */
  readonly restartDependents?: readonly string[];
}

/** Live status the supervisor keeps per container (health, restart count). */
export interface ContainerStatusRecord {
  readonly health?: HealthState;
  readonly restarts: number;
  readonly lastExit?: number;
  /** The supervisor decided to give up (on-failure max reached). */
  readonly gaveUp?: boolean;
  /** Restart scheduled at (ms since epoch). */
  readonly restartingUntil?: number;
  /** startedAt of the run whose exit the supervisor already handled. */
  readonly handledStart?: string;
}

export interface PublishedPortRecord {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

export function emptyRecord(name: string, workingDir = '', configFiles: readonly string[] = []): ProjectRecord {
  return { name, workingDir, configFiles, updatedAt: new Date().toISOString(), containers: {}, networks: {}, volumes: {}, services: {} };
}

export class StateStore {
  readonly dir: string;
  readonly project: string;
  #record: ProjectRecord | undefined;

  constructor(dir: string, project: string) {
    this.dir = dir;
    this.project = project;
  }

  get file(): string {
    return join(this.dir, 'project.json');
  }

  /** The record, or undefined when the project is unknown. */
  read(): ProjectRecord | undefined {
    this.#record = readJsonFile(this.file, isProjectRecord, 'engine/state-corrupt');
    return this.#record;
  }

  /** Applies `change` to the current record and writes it atomically; returns the new one. */
  update(change: (r: ProjectRecord) => ProjectRecord): ProjectRecord {
    const current = this.#record ?? this.read() ?? emptyRecord(this.project);
    const next = { ...change(current), updatedAt: new Date().toISOString() };
    mkdirSync(this.dir, { recursive: true });
    // 0600: the record holds the project's configuration (environment values included)
    writeJsonFile(this.file, next, { mode: 0o600, indent: 1 });
    this.#record = next;
    return next;
  }

  setContainer(name: string, entry: ContainerEntry | undefined): ProjectRecord {
    return this.update((r) => {
      const containers = { ...r.containers };
      if (entry) containers[name] = entry;
      else delete containers[name];
      return { ...r, containers };
    });
  }

  setResource(kind: 'networks' | 'volumes', key: string, entry: ResourceEntry | undefined): ProjectRecord {
    return this.update((r) => {
      const map = { ...r[kind] };
      if (entry) map[key] = entry;
      else delete map[key];
      return { ...r, [kind]: map };
    });
  }

  statusFile(container: string): string {
    return join(this.dir, 'status', `${container}.json`);
  }

  readStatus(container: string): ContainerStatusRecord | undefined {
    return readJsonFile(this.statusFile(container), isStatusRecord, 'engine/state-corrupt');
  }

  writeStatus(container: string, status: ContainerStatusRecord | undefined): void {
    const file = this.statusFile(container);
    if (!status) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(join(this.dir, 'status'), { recursive: true });
    writeJsonFile(file, status);
  }

  portsFile(container: string): string {
    return join(this.dir, 'ports', `${container}.json`);
  }

  /** Published ports of a container as the network module reported them at start. */
  readPorts(container: string): readonly PublishedPortRecord[] {
    return readJsonFile(this.portsFile(container), isPortRecords, 'engine/state-corrupt') ?? [];
  }

  writePorts(container: string, ports: readonly PublishedPortRecord[] | undefined): void {
    const file = this.portsFile(container);
    if (!ports || ports.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(join(this.dir, 'ports'), { recursive: true });
    writeJsonFile(file, ports);
  }

  /** Removes the whole project directory (after a complete down). */
  removeAll(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Names of projects that have a state dir. */
export function listProjectNames(projectsRoot: string): string[] {
  try {
    return readdirSync(projectsRoot).sort();
  } catch {
    return [];
  }
}
