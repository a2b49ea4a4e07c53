/**
 * The rows a progress view shows (`Container hello-web-1  Started`), folded from engine
 * events. Shared by the plain and the ink renderers. Pure.
 */
import type { EngineEvent } from '../api/index.js';

export type RowState = 'working' | 'done' | 'error' | 'warning';

export interface Row {
  /** `Container hello-web-1`, `Network hello_default`, `Image busybox:1.36`. */
  readonly key: string;
  readonly status: string;
  readonly state: RowState;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly detail?: string;
}

const WORKING = new Set(['creating', 'starting', 'stopping', 'killing', 'removing', 'recreating', 'restarting', 'waiting', 'pulling', 'pushing', 'progress', 'building', 'updating']);

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fmtBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)}MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)}kB`;
  return `${n}B`;
}

/** The row an event updates, or undefined for events that are not rows (warnings). */
export function rowOf(event: EngineEvent, previous: Row | undefined): Row | undefined {
  const at = event.time;
  const make = (key: string, action: string, detail?: string, error = false): Row => ({
    key,
    status: titleCase(action),
    state: error ? 'error' : WORKING.has(action) ? 'working' : 'done',
    startedAt: previous?.startedAt ?? at,
    updatedAt: at,
    ...(detail !== undefined ? { detail } : {}),
  });
  switch (event.kind) {
    case 'container': {
      const bad = event.action === 'unhealthy' || (event.action === 'exited' && event.exitCode !== undefined && event.exitCode !== 0);
      const detail = event.action === 'exited' && event.exitCode !== undefined ? `code ${event.exitCode}` : event.detail;
      return make(`Container ${event.container}`, event.action, detail, bad);
    }
    case 'network':
      return make(`Network ${event.network}`, event.action);
    case 'volume':
      return make(`Volume ${event.volume}`, event.action);
    case 'image': {
      if (event.action === 'progress') {
        const detail = event.total ? `${fmtBytes(event.current ?? 0)}/${fmtBytes(event.total)}` : undefined;
        return make(`Image ${event.image}`, 'pulling', detail);
      }
      return make(`Image ${event.image}`, event.action === 'exists' ? 'present' : event.action, event.detail, event.action === 'error');
    }
    case 'error':
      return event.container ? make(`Container ${event.container}`, 'error', event.message, true) : undefined;
    case 'deploy':
      return make(`${event.object} ${event.name}`, event.action, event.detail, event.action === 'failed');
    case 'warning':
    case 'info':
    case 'status':
    case 'watch':
      return undefined;
  }
}

/** Folds events into rows in first-seen order. */
export class ProgressModel {
  readonly #rows = new Map<string, Row>();
  readonly warnings: string[] = [];
  readonly errors: string[] = [];

  /**
   * Folds one event in; returns the rows it changed. An error of the whole command (no
   * container: `up`'s) marks the rows it cut short (still working) as `Error`, as docker
   * compose does: its reason is the CLI's to print, once (`berth: ...`).
   */
  apply(event: EngineEvent): Row[] {
    if (event.kind === 'warning') this.warnings.push(event.message);
    if (event.kind === 'error') this.errors.push(event.message);
    if (event.kind === 'error' && !event.container) return this.#failWorking(event.time);
    const key = keyOf(event);
    const row = key ? rowOf(event, this.#rows.get(key)) : undefined;
    if (row) this.#rows.set(row.key, row);
    return row ? [row] : [];
  }

  #failWorking(at: number): Row[] {
    const failed = [...this.#rows.values()].filter((r) => r.state === 'working').map(({ detail: _d, ...r }): Row => ({ ...r, status: 'Error', state: 'error', updatedAt: at }));
    for (const r of failed) this.#rows.set(r.key, r);
    return failed;
  }

  rows(): Row[] {
    return [...this.#rows.values()];
  }
}

function keyOf(e: EngineEvent): string | undefined {
  switch (e.kind) {
    case 'container':
      return `Container ${e.container}`;
    case 'network':
      return `Network ${e.network}`;
    case 'volume':
      return `Volume ${e.volume}`;
    case 'image':
      return `Image ${e.image}`;
    case 'error':
      return e.container ? `Container ${e.container}` : undefined;
    case 'deploy':
      return `${e.object} ${e.name}`;
    default:
      return undefined;
  }
}
