/**
 * `monitor`: a running project as the dashboard sees it. Every interval a status snapshot
 * (state, health with the last probe's output, restarts, exit code, OOM kill, ports, CPU and
 * memory from the cgroups); with `events`, what other berth processes record (the
 * supervisor's restarts and health changes); with `onLog`, the containers' logs (the last
 * `tail` lines, then following). Read-only; never takes the project lock. Ends when the
 * signal aborts.
 */
import type { ContainerStatus, MonitorOptions, StatusEvent } from '../api/index.js';
import type { EngineContext } from './context.js';
import { observeProject, storeFor, type ProjectSnapshot } from './observe.js';
import { projectNameOf } from './project-source.js';
import { summarize } from './query.js';
import { readRunStatus } from './run-status.js';
import { followEvents } from './events-log.js';
import { followProject } from './logs.js';
import { projectDir } from './paths.js';
import { sleep } from '../util/sleep.js';

interface CpuSample {
  readonly cpuNanos: number;
  readonly at: number;
}

/** One snapshot; `samples` carries the previous CPU readings (by container id) from call to call. */
export async function statusSnapshot(ctx: EngineContext, snap: ProjectSnapshot, samples: Map<string, CpuSample>, nowNs: () => number): Promise<StatusEvent> {
  const rows = await summarize(snap, false);
  const containers: ContainerStatus[] = [];
  for (const r of rows) {
    const run = readRunStatus(snap.store, r.name);
    const state = snap.states.get(r.name);
    const probe = run?.health?.log.at(-1)?.output.trim().slice(0, 200);
    let usage: Pick<ContainerStatus, 'cpuPercent' | 'memoryBytes' | 'memoryLimitBytes'> = {};
    if (r.state === 'running') {
      const s = await ctx.ports.runtime.stats(r.id).catch(() => undefined);
      if (s) {
        const at = nowNs();
        const prev = samples.get(r.id);
        samples.set(r.id, { cpuNanos: s.cpuNanos, at });
        usage = {
          ...(prev && at > prev.at ? { cpuPercent: Math.max(0, ((s.cpuNanos - prev.cpuNanos) / (at - prev.at)) * 100) } : {}),
          memoryBytes: s.memoryBytes,
          ...(s.memoryLimitBytes !== undefined ? { memoryLimitBytes: s.memoryLimitBytes } : {}),
        };
      }
    } else samples.delete(r.id);
    containers.push({
      name: r.name,
      service: r.service,
      number: r.number,
      state: r.state,
      ...(r.health ? { health: r.health } : {}),
      ...(probe ? { lastProbe: probe } : {}),
      ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
      ...(r.state === 'exited' && state?.oomKilled ? { oomKilled: true } : {}),
      ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}),
      restarts: (run?.restarts ?? 0) + (run?.userRestarts ?? 0),
      ...(run?.restartingUntil !== undefined ? { restartAt: run.restartingUntil } : {}),
      ports: r.ports,
      ...usage,
    });
  }
  return { kind: 'status', time: ctx.now(), project: snap.project, containers };
}

export async function monitor(ctx: EngineContext, options: MonitorOptions): Promise<void> {
  const { name } = await projectNameOf(options.source);
  const signal = options.signal ?? new AbortController().signal;
  const onEvent = options.onEvent ?? (() => undefined);
  const tasks: Promise<void>[] = [];
  if (options.events) tasks.push(followEvents(projectDir(ctx.paths, name), { onEvent, signal }));
  if (options.onLog)
    tasks.push(
      followProject(
        ctx,
        name,
        undefined,
        { follow: true, signal, ...(options.tail !== undefined ? { tail: options.tail } : {}), ...(options.logSkip !== undefined ? { skipAfter: options.logSkip } : {}) },
        options.onLog,
      ),
    );
  const store = storeFor(ctx, name);
  const samples = new Map<string, CpuSample>();
  const nowNs = (): number => Number(process.hrtime.bigint());
  while (!signal.aborted) {
    const snap = await observeProject(ctx, name, store);
    onEvent(await statusSnapshot(ctx, snap, samples, nowNs));
    await sleep(options.intervalMs ?? 1000, signal);
  }
  await Promise.all(tasks);
}
