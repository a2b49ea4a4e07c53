/**
 * The dashboard's service table, folded from engine events: transitions as they happen
 * (pulling, building, creating, starting, waiting, restarting, exited) and the periodic
 * status snapshots (`monitor`: state, health, restarts, ports, CPU, memory). A snapshot only
 * overrides a row whose last event is older than it. Pure: no clock, no I/O.
 */
import type { ContainerStatus, EngineEvent, LayerProgress } from '../../api/index.js';
import { nextRate, type Rate } from './rate.js';
import { compareText } from '../../util/compare.js';

export type Phase =
  | 'pulling'
  | 'building'
  | 'creating'
  | 'created'
  | 'starting'
  | 'running'
  | 'waiting'
  | 'restarting'
  | 'stopping'
  | 'stopped'
  | 'exited'
  | 'oom-killed'
  | 'paused'
  | 'removing'
  | 'removed'
  | 'error';

export interface PullState {
  readonly image: string;
  readonly current: number;
  readonly total: number;
  readonly rate: Rate | undefined;
  readonly layers: readonly LayerProgress[];
  readonly done: boolean;
}

export interface ServiceRow {
  /** `web-1`: service and replica. */
  readonly key: string;
  readonly service: string;
  readonly number: number;
  readonly container?: string;
  readonly phase: Phase;
  /** When the phase was last set by an event (a snapshot older than this is ignored for the phase). */
  readonly phaseAt: number;
  /** `waiting`: for what (`db (healthy)`); `error`: the message. */
  readonly detail?: string | undefined;
  readonly health?: 'starting' | 'healthy' | 'unhealthy' | undefined;
  readonly lastProbe?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly restarts: number;
  readonly attempt?: number | undefined;
  readonly restartAt?: number | undefined;
  readonly startedAt?: number | undefined;
  readonly ports: readonly string[];
  readonly cpuPercent?: number | undefined;
  readonly memoryBytes?: number | undefined;
  readonly memoryLimitBytes?: number | undefined;
  readonly pull?: PullState | undefined;
  readonly build?: { readonly step: number; readonly steps: number; readonly text?: string } | undefined;
}

const numberOf = (container: string): number => Number(/-(\d+)$/.exec(container)?.[1] ?? '1');

const CONTAINER_PHASE: Readonly<Record<string, Phase | undefined>> = {
  creating: 'creating',
  created: 'created',
  recreating: 'creating',
  starting: 'starting',
  started: 'running',
  running: 'running',
  healthy: 'running',
  unhealthy: 'running',
  restarting: 'restarting',
  stopping: 'stopping',
  killing: 'stopping',
  stopped: 'stopped',
  killed: 'stopped',
  exited: 'exited',
  paused: 'paused',
  unpaused: 'running',
  removing: 'removing',
  removed: 'removed',
  waiting: 'waiting',
};

function portText(p: ContainerStatus['ports'][number]): string {
  return `${p.hostPort}->${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`;
}

export class DashboardModel {
  readonly #rows = new Map<string, ServiceRow>();
  #version = 0;
  project: string | undefined;

  /** Bumped on every change (the renderer redraws only when it moved). */
  get version(): number {
    return this.#version;
  }

  rows(): ServiceRow[] {
    return [...this.#rows.values()].filter((r) => r.phase !== 'removed').sort((a, b) => compareText(a.service, b.service) || a.number - b.number);
  }

  /** Services known so far (sorted), for log filters and colours. */
  services(): string[] {
    return [...new Set(this.rows().map((r) => r.service))];
  }

  #set(key: string, service: string, number: number, patch: Partial<ServiceRow>): void {
    const prev = this.#rows.get(key) ?? { key, service, number, phase: 'created' as Phase, phaseAt: 0, restarts: 0, ports: [] };
    this.#rows.set(key, { ...prev, ...patch });
    this.#version++;
  }

  /** Rows of the services an image event names (a placeholder `svc-1` when none exists yet). */
  #rowsOfServices(services: readonly string[]): { key: string; service: string; number: number }[] {
    return services.flatMap((s) => {
      const mine = [...this.#rows.values()].filter((r) => r.service === s);
      return mine.length > 0 ? mine : [{ key: `${s}-1`, service: s, number: 1 }];
    });
  }

  apply(event: EngineEvent): void {
    switch (event.kind) {
      case 'container': {
        // `db` waited on: the rows of the services that wait show `waiting for db (healthy)`
        if (event.action === 'waiting' && event.waiters?.length) {
          for (const r of this.#rowsOfServices(event.waiters))
            this.#set(r.key, r.service, r.number, { phase: 'waiting', phaseAt: event.time, detail: `${event.service}${event.detail ? ` (${event.detail})` : ''}` });
          return;
        }
        const number = numberOf(event.container);
        const key = `${event.service}-${number}`;
        let phase = CONTAINER_PHASE[event.action] ?? 'running';
        if (event.action === 'exited' && event.oomKilled) phase = 'oom-killed';
        const prev = this.#rows.get(key);
        this.#set(key, event.service, number, {
          container: event.container,
          phase,
          phaseAt: event.time,
          ...(event.action === 'waiting' ? { detail: event.detail ?? '' } : {}),
          ...(event.action === 'exited' ? { exitCode: event.exitCode ?? 0 } : {}),
          ...(event.action === 'started' ? { startedAt: event.time, exitCode: undefined } : {}),
          ...(event.action === 'healthy' ? { health: 'healthy' as const } : {}),
          ...(event.action === 'unhealthy' ? { health: 'unhealthy' as const, ...(event.detail ? { lastProbe: event.detail } : {}) } : {}),
          ...(event.action === 'restarting' ? { ...(event.attempt !== undefined ? { attempt: event.attempt } : {}), ...(event.restartAt !== undefined ? { restartAt: event.restartAt } : {}) } : {}),
          ...(phase === 'running' || phase === 'starting' ? { pull: undefined, build: undefined } : {}),
          ...(event.action === 'starting' && prev?.health ? { health: undefined } : {}),
        });
        return;
      }
      case 'image': {
        for (const r of this.#rowsOfServices(event.services ?? [])) {
          const prev = this.#rows.get(r.key);
          if (event.action === 'pulling' || event.action === 'progress') {
            const current = event.current ?? 0;
            const total = event.total ?? 0;
            this.#set(r.key, r.service, r.number, {
              phase: 'pulling',
              phaseAt: event.time,
              pull: { image: event.image, current, total, rate: nextRate(prev?.pull?.rate, event.time, current), layers: event.layers ?? prev?.pull?.layers ?? [], done: false },
            });
          } else if (event.action === 'pulled' && prev?.pull) {
            this.#set(r.key, r.service, r.number, { phase: 'created', phaseAt: event.time, pull: { ...prev.pull, current: prev.pull.total, done: true } });
          } else if (event.action === 'building') {
            this.#set(r.key, r.service, r.number, {
              phase: 'building',
              phaseAt: event.time,
              build: { step: event.step ?? prev?.build?.step ?? 0, steps: event.steps ?? prev?.build?.steps ?? 0, ...(event.detail ? { text: event.detail } : {}) },
            });
          } else if (event.action === 'built') {
            this.#set(r.key, r.service, r.number, { phase: 'created', phaseAt: event.time, build: undefined });
          } else if (event.action === 'error') {
            this.#set(r.key, r.service, r.number, { phase: 'error', phaseAt: event.time, detail: event.detail ?? 'image error' });
          }
        }
        return;
      }
      case 'error': {
        if (!event.container || !event.service) return;
        const number = numberOf(event.container);
        this.#set(`${event.service}-${number}`, event.service, number, { phase: 'error', phaseAt: event.time, detail: event.message });
        return;
      }
      case 'status':
        this.project ??= event.project;
        for (const c of event.containers) this.#status(c, event.time);
        return;
      default:
        return;
    }
  }

  #status(c: ContainerStatus, at: number): void {
    const key = `${c.service}-${c.number}`;
    const prev = this.#rows.get(key);
    const fresh = !prev || prev.phaseAt <= at;
    const phase: Phase =
      c.state === 'exited' || c.state === 'dead'
        ? c.oomKilled
          ? 'oom-killed'
          : 'exited'
        : c.state === 'restarting'
          ? 'restarting'
          : c.state === 'paused'
            ? 'paused'
            : c.state === 'created'
              ? 'created'
              : 'running';
    this.#set(key, c.service, c.number, {
      container: c.name,
      ...(fresh ? { phase, phaseAt: at } : {}),
      health: c.health,
      lastProbe: c.lastProbe ?? prev?.lastProbe,
      exitCode: c.exitCode,
      restarts: c.restarts,
      restartAt: c.restartAt,
      ...(c.restartAt !== undefined ? { attempt: prev?.attempt ?? c.restarts } : {}),
      startedAt: c.startedAt,
      ports: c.ports.map(portText),
      cpuPercent: c.cpuPercent,
      memoryBytes: c.memoryBytes,
      memoryLimitBytes: c.memoryLimitBytes,
      ...(fresh && phase === 'running' ? { pull: undefined, build: undefined } : {}),
    });
  }
}
