/**
 * observe: a read-only snapshot of a project on this host, from the runtime's container
 * states (labels) and the project record. Never needs the compose file.
 */
import type { ContainerState } from '../runtime/index.js';
import { Labels } from '../api/index.js';
import type { EngineContext } from './context.js';
import type { ObservedContainer } from './plan-types.js';
import { StateStore, type ProjectRecord } from './state-store.js';
import { projectDir } from './paths.js';
import { compareText } from '../util/compare.js';

export interface ProjectSnapshot {
  readonly project: string;
  readonly record: ProjectRecord | undefined;
  readonly containers: readonly ObservedContainer[];
  /** Runtime state by container name. */
  readonly states: ReadonlyMap<string, ContainerState>;
  readonly store: StateStore;
}

export function storeFor(ctx: EngineContext, project: string): StateStore {
  return new StateStore(projectDir(ctx.paths, project), project);
}

export function toObserved(s: ContainerState): ObservedContainer {
  const l = s.labels;
  const deps = (l[Labels.dependsOn] ?? '')
    .split(',')
    .filter(Boolean)
    .map((d) => d.split(':')[0]!);
  return {
    id: s.id,
    name: s.name,
    service: l[Labels.service] ?? '',
    number: Number(l[Labels.containerNumber] ?? '0'),
    hash: l[Labels.configHash],
    imageId: l[Labels.image],
    status: s.status,
    oneoff: l[Labels.oneoff] === 'True',
    dependsOn: deps,
  };
}

/** `store`: the caller's own instance for this project (one writer per process: it caches the record). */
export async function observeProject(ctx: EngineContext, project: string, store: StateStore = storeFor(ctx, project)): Promise<ProjectSnapshot> {
  const record = store.read();
  const all = await ctx.ports.runtime.list();
  const mine = all.filter((s) => s.labels[Labels.project] === project);
  const states = new Map(mine.map((s) => [s.name, s]));
  return {
    project,
    record,
    store,
    containers: mine.map(toObserved).sort((a, b) => compareText(a.name, b.name)),
    states,
  };
}

/** Project names known on this host: state dirs and container labels. */
export async function knownProjects(ctx: EngineContext, fromDirs: readonly string[]): Promise<string[]> {
  const names = new Set(fromDirs);
  for (const s of await ctx.ports.runtime.list()) {
    const p = s.labels[Labels.project];
    if (p) names.add(p);
  }
  return [...names].sort();
}
