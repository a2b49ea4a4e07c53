/** top, port, images, wait, events, stats: read-mostly verbs on a project's containers. */
import type { CommonOptions, EventsOptions, ImageSummary, PortOptions, ProcessRow, StatsOptions, StatsRow, TopResult, WaitOptions } from '../api/index.js';
import { Labels } from '../api/index.js';
import { compareText } from '../util/compare.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf } from './project-source.js';
import { followEvents } from './events-log.js';
import { projectDir } from './paths.js';
import { down } from './down.js';
import { noContainerFor } from './errors.js';
const { readFileSync, readdirSync } = process.getBuiltinModule('node:fs');

const CLK_TCK = 100;

function procTable(): Map<number, { ppid: number; uid: number; start: number; cpu: number; cmd: string }> {
  const out = new Map<number, { ppid: number; uid: number; start: number; cpu: number; cmd: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ').replace(/\s+/g, ' ').trim() || `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
      out.set(Number(d), { ppid: Number(rest[1]), uid, start: Number(rest[19]), cpu: Number(rest[11]) + Number(rest[12]), cmd });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function bootTime(): number {
  const m = /^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'));
  return Number(m?.[1] ?? 0) * 1000;
}

function hms(ticks: number): string {
  const s = Math.floor(ticks / CLK_TCK);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export async function top(ctx: EngineContext, options: CommonOptions): Promise<TopResult[]> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const procs = procTable();
  const boot = bootTime();
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const out: TopResult[] = [];
  for (const c of snap.containers) {
    const s = snap.states.get(c.name);
    if (!s || s.status !== 'running' || s.pid <= 0 || (pick && !pick.has(c.service))) continue;
    const rows: ProcessRow[] = [];
    const walk = (pid: number): void => {
      const p = procs.get(pid);
      if (!p) return;
      const started = new Date(boot + (p.start / CLK_TCK) * 1000);
      rows.push({ uid: p.uid, pid, ppid: p.ppid, stime: started.toISOString().slice(11, 16), time: hms(p.cpu), cmd: p.cmd });
      for (const [child, q] of procs) if (q.ppid === pid) walk(child);
    };
    walk(s.pid);
    out.push({ container: c.name, processes: rows });
  }
  return out;
}

export async function port(ctx: EngineContext, options: PortOptions): Promise<string | undefined> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const c = snap.containers.find((x) => x.service === options.service && x.number === (options.index ?? 1) && !x.oneoff);
  if (!c) throw noContainerFor(options.service, name);
  const published = snap.store.readPorts(c.name);
  const p = published.find((x) => x.containerPort === options.privatePort && x.protocol === (options.protocol ?? 'tcp'));
  return p ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}` : undefined;
}

export async function images(ctx: EngineContext, options: CommonOptions): Promise<ImageSummary[]> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const out: ImageSummary[] = [];
  for (const c of snap.containers) {
    const s = snap.states.get(c.name)!;
    const ref = s.labels[Labels.imageName] ?? '';
    const local = await ctx.ports.images.resolveLocal(s.labels[Labels.image] ?? ref).catch(() => undefined);
    const colon = ref.lastIndexOf(':');
    const hasTag = colon > ref.lastIndexOf('/');
    out.push({
      container: c.name,
      repository: hasTag ? ref.slice(0, colon) : ref,
      tag: hasTag ? ref.slice(colon + 1) : 'latest',
      id: (local?.id ?? s.labels[Labels.image] ?? '').replace(/^sha256:/, '').slice(0, 12),
      size: local?.size ?? 0,
    });
  }
  return out;
}

/** Waits for the first of the project's (selected) service containers to exit. */
export async function wait(ctx: EngineContext, options: WaitOptions): Promise<number> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const targets = snap.containers.filter((c) => !c.oneoff && (!pick || pick.has(c.service)));
  if (targets.length === 0) throw new BerthError('engine/no-containers', `project ${name} has no containers to wait for`);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  try {
    const code = await Promise.any(targets.map((c) => ctx.ports.runtime.wait(c.id, signal).then((e) => e.exitCode)));
    if (options.downProject) await down(ctx, { source: options.source });
    return code;
  } finally {
    stop.abort();
  }
}

export async function events(ctx: EngineContext, options: EventsOptions): Promise<void> {
  const { name } = await projectNameOf(options.source);
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  await followEvents(projectDir(ctx.paths, name), {
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.until !== undefined ? { until: options.until } : {}),
    ...(options.follow === false ? { follow: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(pick ? { accept: (e) => 'service' in e && e.service !== undefined && pick.has(e.service) } : {}),
    onEvent: options.onEvent,
  });
}

export async function stats(ctx: EngineContext, options: StatsOptions): Promise<StatsRow[]> {
  const { name } = await projectNameOf(options.source);
  const snap = await observeProject(ctx, name);
  const pick = options.services && options.services.length > 0 ? new Set(options.services) : undefined;
  const running = snap.containers.filter((c) => c.status === 'running' && (!pick || pick.has(c.service)));
  const first = new Map<string, { cpu: number; at: number }>();
  for (const c of running) {
    const s = await ctx.ports.runtime.stats(c.id).catch(() => undefined);
    if (s) first.set(c.id, { cpu: s.cpuNanos, at: process.hrtime.bigint() > 0n ? Number(process.hrtime.bigint()) : Date.now() * 1e6 });
  }
  await new Promise((r) => setTimeout(r, 200));
  const out: StatsRow[] = [];
  for (const c of running) {
    const s = await ctx.ports.runtime.stats(c.id).catch(() => undefined);
    const f = first.get(c.id);
    if (!s) continue;
    const now = Number(process.hrtime.bigint());
    const cpuPercent = f ? Math.max(0, ((s.cpuNanos - f.cpu) / (now - f.at)) * 100) : 0;
    out.push({ container: c.name, id: c.id, cpuNanos: s.cpuNanos, cpuPercent, memoryBytes: s.memoryBytes, memoryLimitBytes: s.memoryLimitBytes, pids: s.pids });
  }
  if (options.all) {
    for (const c of snap.containers) {
      if (c.oneoff || out.some((r) => r.id === c.id) || (pick && !pick.has(c.service))) continue;
      out.push({ container: c.name, id: c.id, cpuNanos: 0, cpuPercent: 0, memoryBytes: 0, memoryLimitBytes: undefined, pids: 0 });
    }
    out.sort((a, b) => compareText(a.container, b.container));
  }
  return out;
}
