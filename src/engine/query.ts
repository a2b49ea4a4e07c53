/** Reading verbs: ps, ls, logs, top-like lookups. They never take the project lock. */
import type { CommonOptions, ContainerSummary, LogsOptions, LsOptions, ProjectSummary, PsOptions, VolumeSummary } from '../api/index.js';
import { Labels } from '../api/index.js';
import type { EngineContext } from './context.js';
import { observeProject, knownProjects, type ProjectSnapshot } from './observe.js';
import { pickServices, projectNameOf } from './project-source.js';
import { followProject } from './logs.js';
import { listProjectNames } from './state-store.js';
import { projectsDir } from './paths.js';
import { reviveSupervisor } from './supervisor-client.js';
import { readRunStatus, START_FAILED_EXIT } from './run-status.js';
import { compareText } from '../util/compare.js';
import { noContainerFor } from './errors.js';
import { listVolumes, volumeDataDir } from './volumes.js';

export async function summarize(snap: ProjectSnapshot, includeOneoff = true): Promise<ContainerSummary[]> {
  const out: ContainerSummary[] = [];
  for (const c of snap.containers) {
    if (c.oneoff && !includeOneoff) continue;
    const s = snap.states.get(c.name)!;
    const status = readRunStatus(snap.store, c.name);
    const restarting = status?.restartingUntil !== undefined;
    // a failed restart leaves the container as Docker does: exited (128), kept
    const failed = status?.lastError !== undefined && s.status !== 'running' && s.status !== 'paused';
    const ports = s.status === 'running' || s.status === 'paused' ? snap.store.readPorts(c.name) : [];
    out.push({
      name: c.name,
      id: c.id,
      service: c.service,
      number: c.number,
      project: snap.project,
      image: s.labels[Labels.imageName] ?? s.labels[Labels.image] ?? '',
      command: s.args.join(' '),
      state: failed ? 'exited' : restarting && s.status === 'exited' ? 'restarting' : s.status,
      ...(status?.health && s.status === 'running' ? { health: status.health.status } : {}),
      ...(failed ? { exitCode: START_FAILED_EXIT } : s.exitCode !== undefined && s.status === 'exited' ? { exitCode: s.exitCode } : {}),
      createdAt: Date.parse(s.createdAt),
      ...(s.startedAt ? { startedAt: Date.parse(s.startedAt) } : {}),
      ports: ports.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol })),
      oneoff: c.oneoff,
      ...(s.pid > 0 ? { pid: s.pid } : {}),
    });
  }
  return out;
}

export async function ps(ctx: EngineContext, options: PsOptions): Promise<ContainerSummary[]> {
  const { name, project } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  reviveSupervisor(ctx, snap);
  let rows = await summarize(snap);
  if (options.orphans === false && project) rows = rows.filter((r) => project.services[r.service] !== undefined);
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  rows = rows.filter((r) => (!pick || pick.has(r.service)) && (options.all || r.state === 'running' || r.state === 'paused' || r.state === 'restarting'));
  if (options.status && options.status.length > 0) rows = rows.filter((r) => options.status!.includes(r.state));
  return rows;
}

/** docker's name filter: the exact name, or a regular expression found in it (an invalid one matches nothing). */
export function nameFilter(patterns: readonly string[] | undefined): (name: string) => boolean {
  if (!patterns || patterns.length === 0) return () => true;
  return (name) =>
    patterns.some((p) => {
      if (p === name) return true;
      try {
        return new RegExp(p).test(name);
      } catch {
        return false;
      }
    });
}

export async function ls(ctx: EngineContext, options: LsOptions): Promise<ProjectSummary[]> {
  const wanted = nameFilter(options.names);
  const names = (await knownProjects(ctx, listProjectNames(projectsDir(ctx.paths)))).filter(wanted);
  const out: ProjectSummary[] = [];
  for (const name of names) {
    const snap = await observeProject(ctx, name);
    const counts = new Map<string, number>();
    for (const c of snap.containers) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const status = [...counts]
      .sort(([a], [b]) => compareText(a, b))
      .map(([s, n]) => `${s}(${n})`)
      .join(', ');
    if (!options.all && !counts.has('running')) continue;
    out.push({ name, status: status || 'empty', configFiles: snap.record?.configFiles ?? [], workingDir: snap.record?.workingDir ?? '' });
  }
  return out;
}

export async function logs(ctx: EngineContext, options: LogsOptions): Promise<void> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  if (!options.peek) reviveSupervisor(ctx, snap);
  if (snap.containers.length === 0 && !options.follow) return;
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  if (pick) for (const s of pick) if (!snap.containers.some((c) => c.service === s)) throw noContainerFor(s, name);
  const signal = options.signal ?? new AbortController().signal;
  await followProject(
    ctx,
    name,
    pick,
    {
      follow: options.follow === true,
      signal,
      ...(options.tail !== undefined && options.tail >= 0 ? { tail: options.tail } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.head !== undefined ? { head: options.head } : {}),
      ...(options.index !== undefined ? { index: options.index } : {}),
    },
    options.onLog,
  );
}

/** `volumes`: the project's volumes; with services named, those their containers mount (compose's). */
export async function volumes(ctx: EngineContext, options: CommonOptions): Promise<VolumeSummary[]> {
  const { name, project } = await projectNameOf(options.source);
  let keys: Set<string> | undefined;
  if (options.services && options.services.length > 0 && project) {
    const { names } = pickServices(project, options.services, true);
    keys = new Set(names.flatMap((n) => (project.services[n]!.volumes ?? []).flatMap((v) => (v.type === 'volume' && v.source ? [v.source] : []))));
  }
  return listVolumes(ctx.paths)
    .filter((v) => v.project === name && (!keys || keys.has(v.labels[Labels.volume] ?? '')))
    .map((v) => ({ name: v.name, driver: 'local', scope: 'local', mountpoint: volumeDataDir(ctx.paths, v.name), labels: v.labels, createdAt: v.created }));
}
