// In-memory seams for engine tests without a kernel: a runtime whose containers "run"
// until stopped (a command containing `exit N` exits with N after ~20 ms), a network and an
// image store that only record calls, and the supervisor run in-process.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, ContainerState, DetachedExecOptions, ExitStatus, LogLine, StopOutcome } from '../../src/runtime/types.js';
import type { LocalImage, Digest } from '../../src/image/types.js';
import type { NetworkRecord } from '../../src/network/types.js';
import type { EnginePorts, RuntimePort, NetworkPort, ImagePort, SupervisorPort, BuildPort } from '../../src/engine/ports.js';
import { engineContext, createEngineWith } from '../../src/engine/index.js';
import { runSupervisor } from '../../src/engine/supervisor.js';
import { describeOp } from '../../src/engine/plan-text.js';
import type { EngineEvent } from '../../src/api/index.js';
import type { Clock } from '../../src/util/clock.js';

interface FakeContainer {
  config: ContainerConfig;
  status: 'created' | 'running' | 'exited' | 'paused';
  exitCode: number | undefined;
  createdAt: string;
  startedAt: string | undefined;
  logs: LogLine[];
  waiters: ((e: ExitStatus) => void)[];
  timer?: NodeJS.Timeout;
}

export class FakeRuntime implements RuntimePort {
  readonly containers = new Map<string, FakeContainer>();
  readonly log: string[] = [];
  /** Health probe exit code per service (default 0). */
  readonly health = new Map<string, number>();
  readonly starts = new Map<string, number>();

  async create(config: ContainerConfig, onCreated?: (i: { pid: number; netnsPath: string }) => Promise<void>): Promise<void> {
    if (this.containers.has(config.id)) throw new Error(`name in use: ${config.id}`);
    this.containers.set(config.id, { config, status: 'created', exitCode: undefined, createdAt: new Date().toISOString(), startedAt: undefined, logs: [], waiters: [] });
    this.log.push(`create ${config.name}`);
    await onCreated?.({ pid: 1, netnsPath: '/proc/1/ns/net' });
  }
  /** Runs the container again keeping its layer (`layer` survives). */
  async recreate(config: ContainerConfig, onCreated?: (i: { pid: number; netnsPath: string }) => Promise<void>): Promise<void> {
    const old = this.containers.get(config.id);
    if (old && old.status !== 'exited' && old.status !== 'created') await this.stop(config.id);
    clearTimeout(old?.timer);
    this.containers.set(config.id, { config, status: 'created', exitCode: undefined, createdAt: old?.createdAt ?? new Date().toISOString(), startedAt: undefined, logs: [], waiters: [] });
    this.log.push(`recreate ${config.name}`);
    await onCreated?.({ pid: 1, netnsPath: '/proc/1/ns/net' });
  }
  /** Unset: no shared /etc files (network_mode service:X binds none). */
  etcFiles?: NonNullable<RuntimePort['etcFiles']>;
  readonly hostsFiles = new Map<string, string>();
  /** Container names whose pid 1 has no handler for its stop signal (stop kills at once). */
  readonly deafInits = new Set<string>();
  async writeHosts(id: string, text: string): Promise<void> {
    this.hostsFiles.set(id, text);
  }
  async start(id: string): Promise<void> {
    const c = this.need(id);
    c.status = 'running';
    c.startedAt = new Date().toISOString();
    this.starts.set(c.config.name!, (this.starts.get(c.config.name!) ?? 0) + 1);
    this.log.push(`start ${c.config.name}`);
    c.logs.push({ time: new Date().toISOString(), stream: 'stdout', text: `hello from ${c.config.name}` });
    const m = /exit (\d+)/.exec(c.config.process.args.join(' '));
    if (m) c.timer = setTimeout(() => this.exit(id, Number(m[1])), 20);
  }
  exit(id: string, code: number): void {
    const c = this.containers.get(id);
    if (!c || c.status === 'exited') return;
    clearTimeout(c.timer);
    c.status = 'exited';
    c.exitCode = code;
    for (const w of c.waiters.splice(0)) w({ exitCode: code, oomKilled: false, signal: undefined });
  }
  async stop(id: string): Promise<StopOutcome> {
    const c = this.containers.get(id);
    if (!c) return 'not-running';
    this.log.push(`stop ${c.config.name}`);
    if (this.deafInits.has(c.config.name ?? '')) {
      this.exit(id, 137);
      return 'killed-at-once';
    }
    this.exit(id, 0);
    return 'stopped';
  }
  async kill(id: string): Promise<void> {
    this.exit(id, 137);
  }
  /** TCP ports each container (by name) listens on; `listening` reads it. */
  readonly listeningPorts = new Map<string, Set<number>>();
  async listening(id: string): Promise<ReadonlySet<number> | undefined> {
    const c = this.containers.get(id);
    if (!c || c.status !== 'running') return undefined;
    return this.listeningPorts.get(c.config.name ?? '') ?? new Set();
  }
  wait(id: string, signal?: AbortSignal): Promise<ExitStatus> {
    const c = this.need(id);
    if (c.status === 'exited') return Promise.resolve({ exitCode: c.exitCode ?? 0, oomKilled: false, signal: undefined });
    return new Promise((resolve, reject) => {
      c.waiters.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  async remove(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    clearTimeout(c.timer);
    this.log.push(`remove ${c.config.name}`);
    this.containers.delete(id);
  }
  async state(id: string): Promise<ContainerState | undefined> {
    const c = this.containers.get(id);
    return c ? this.toState(id, c) : undefined;
  }
  async list(): Promise<readonly ContainerState[]> {
    return [...this.containers].map(([id, c]) => this.toState(id, c));
  }
  /** `exec -d` calls: the container and the options the engine handed over. */
  readonly detached: { id: string; options: DetachedExecOptions }[] = [];
  async execDetached(id: string, options: DetachedExecOptions): Promise<void> {
    this.need(id);
    this.detached.push({ id, options });
  }
  async exec(id: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const c = this.need(id);
    return { exitCode: this.health.get(c.config.labels?.['berth.service'] ?? '') ?? 0, stdout: '', stderr: '' };
  }
  async *logs(id: string): AsyncIterable<readonly LogLine[]> {
    const c = this.containers.get(id);
    if (c) yield c.logs;
  }
  async pause(id: string): Promise<void> {
    this.need(id).status = 'paused';
  }
  async resume(id: string): Promise<void> {
    this.need(id).status = 'running';
  }
  async stats(id: string) {
    return { id: id as never, memoryBytes: 0, memoryLimitBytes: undefined, cpuNanos: 0, pids: 1 };
  }
  private need(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new Error(`no such container ${id}`);
    return c;
  }
  private toState(id: string, c: FakeContainer): ContainerState {
    return {
      id: id as never,
      name: c.config.name ?? id,
      status: c.status,
      pid: c.status === 'running' ? 4242 : 0,
      shimPid: 1,
      exitCode: c.exitCode,
      oomKilled: false,
      createdAt: c.createdAt,
      startedAt: c.startedAt,
      finishedAt: undefined,
      labels: c.config.labels ?? {},
      args: c.config.process.args,
    };
  }
}

export class FakeNetwork implements NetworkPort {
  readonly networks = new Map<string, NetworkRecord>();
  readonly attached = new Map<string, string[]>();
  readonly publishedMap = new Map<string, number[]>();
  readonly log: string[] = [];
  async ensureNetwork(cfg: { name: string; project: string; labels?: Readonly<Record<string, string>> }, options?: { onRecorded?: () => void; onBridged?: () => void }): Promise<NetworkRecord> {
    this.log.push(`ensure ${cfg.name}`);
    const rec: NetworkRecord = {
      name: cfg.name,
      project: cfg.project,
      bridge: 'bthfake',
      subnet: '10.9.0.0/24',
      gateway: '10.9.0.1',
      ipRange: '10.9.0.0/24',
      internal: false,
      mtu: 1500,
      labels: cfg.labels ?? {},
      created: '',
    };
    this.networks.set(cfg.name, rec);
    options?.onRecorded?.();
    await Promise.resolve();
    options?.onBridged?.();
    await Promise.resolve();
    return rec;
  }
  async removeNetwork(name: string, options?: { onRequested?: () => void }): Promise<void> {
    this.log.push(`remove ${name}`);
    options?.onRequested?.();
    await Promise.resolve();
    this.networks.delete(name);
  }
  async listNetworks() {
    return [...this.networks.values()];
  }
  async attach(id: string, _ns: string, atts: readonly { network: string }[]) {
    this.attached.set(
      id,
      atts.map((a) => a.network),
    );
    return [];
  }
  async detach(id: string): Promise<void> {
    this.attached.delete(id);
  }
  async checkPortsFree(): Promise<void> {}
  async publish(id: string, service: string, ports: readonly { hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' }[]) {
    this.publishedMap.set(
      id,
      ports.map((p) => p.hostPort),
    );
    return ports.map((p) => ({ hostIp: '0.0.0.0', hostPort: p.hostPort, containerIp: '10.9.0.2', containerPort: p.containerPort, protocol: p.protocol, service, containerId: id, bridge: 'bthfake' }));
  }
  async unpublish(id: string): Promise<void> {
    this.publishedMap.delete(id);
  }
  async startDns() {
    return { address: '10.9.0.1', port: 53, setRecords() {}, async refresh() {}, async close() {} };
  }
  async hosts(o: { hostname: string; addresses: readonly string[] }) {
    return `127.0.0.1\tlocalhost\n${o.addresses.map((a) => `${a}\t${o.hostname}\n`).join('')}`;
  }
  async resolvConf() {
    return 'nameserver 10.9.0.1\n';
  }
  async info() {
    return { backend: 'fake' };
  }
}

/** The fake image port; `held` counts holders per image id, `removed` lists what removeDangling deleted. */
export type FakeImages = ImagePort & { readonly held: Map<string, Set<string>>; readonly removed: string[] };

export function fakeImages(dir: string): FakeImages {
  mkdirSync(join(dir, 'layer', 'etc'), { recursive: true });
  writeFileSync(join(dir, 'layer', 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  const image: LocalImage = {
    id: 'sha256:1111' as Digest,
    reference: undefined,
    digest: undefined,
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
    platform: { os: 'linux', architecture: 'amd64' },
    diffIds: [],
    layerDirs: [join(dir, 'layer')],
    created: undefined,
    size: 0,
    repoTags: [],
    repoDigests: [],
  };
  const held = new Map<string, Set<string>>();
  const removed: string[] = [];
  return {
    held,
    removed,
    ensure: async () => image,
    resolveLocal: async () => image,
    hold: async (id, holder) => void held.set(id, (held.get(id) ?? new Set()).add(holder)),
    release: async (id, holder) => void held.get(id)?.delete(holder),
    remove: async () => undefined,
    removeDangling: async (id) => {
      if ((held.get(id)?.size ?? 0) > 0) return false;
      removed.push(id);
      return true;
    },
  };
}

export interface Harness {
  readonly dir: string;
  readonly runtime: FakeRuntime;
  readonly network: FakeNetwork;
  readonly events: EngineEvent[];
  readonly engine: ReturnType<typeof createEngineWith>;
  readonly env: Record<string, string>;
  /** Services the fake builder built, in order (it returns the fake image). */
  readonly builds: string[];
  /** Ids the next builds give their image (first in, first used); empty: the fake image's id. */
  readonly buildIds: string[];
  readonly images: FakeImages;
  /** Plan operations as executed: `start <op>` and `done <op>` (plan-text descriptions), in order. */
  readonly trace: string[];
  /** The supervisor's log lines (its decisions: "… not restarted: …"). */
  readonly supervisorLog: string[];
  writeCompose(text: string): void;
  source(): { files: string[]; envFiles: string[]; profiles: string[]; env: Record<string, string>; cwd: string };
  close(): Promise<void>;
}

/** `clock`: the engine's and the supervisor's (a FakeClock moves only when the test says). */
export function harness(name = 'proj', clock?: Clock): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'berth-engine-'));
  const projectDir = join(dir, name);
  mkdirSync(projectDir);
  const runtime = new FakeRuntime();
  const network = new FakeNetwork();
  const events: EngineEvent[] = [];
  const env = { BERTH_ROOT: join(dir, 'root'), BERTH_RUN: join(dir, 'run'), PATH: process.env.PATH ?? '' };
  const supervisors = new Map<string, { stop: AbortController; done: Promise<void> }>();
  const images = fakeImages(dir);
  const builds: string[] = [];
  const buildIds: string[] = [];
  const builder: BuildPort = {
    async build(_project, service) {
      builds.push(service);
      const image = (await images.resolveLocal('built'))!;
      const id = buildIds.shift();
      return id ? { ...image, id: id as Digest } : image;
    },
  };
  const ports: EnginePorts = { runtime, network, images, builder };
  const supervisor: SupervisorPort = {
    ensure(project) {
      if (supervisors.has(project)) return;
      const stop = new AbortController();
      const ctx = engineContext({ ports: { ...ports, supervisor }, env, onEvent: (e) => events.push(e), ...(clock ? { clock } : {}) });
      const done = runSupervisor(ctx, project, stop.signal, { scanMs: 200, idleExitMs: 60_000, log: (l) => supervisorLog.push(l) });
      supervisors.set(project, { stop, done });
    },
    async stop(project) {
      const s = supervisors.get(project);
      if (!s) return;
      s.stop.abort();
      await s.done;
      supervisors.delete(project);
    },
  };
  const trace: string[] = [];
  const supervisorLog: string[] = [];
  const engine = createEngineWith({
    ports: { ...ports, supervisor },
    env,
    onEvent: (e) => events.push(e),
    ...(clock ? { clock } : {}),
    onOperation: (op, phase) => void trace.push(`${phase} ${describeOp(op)}`),
  });
  return {
    dir,
    runtime,
    network,
    events,
    engine,
    env,
    builds,
    buildIds,
    images,
    trace,
    supervisorLog,
    writeCompose: (text) => writeFileSync(join(projectDir, 'compose.yaml'), text),
    source: () => ({ files: [], envFiles: [], profiles: [], env, cwd: projectDir }),
    async close() {
      for (const p of supervisors.keys()) await supervisor.stop(p);
      for (const c of runtime.containers.values()) clearTimeout(c.timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
