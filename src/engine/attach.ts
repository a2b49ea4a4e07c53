/**
 * Attached `up`: prefixed logs of the attached services until every container has exited
 * (and none is being restarted), or the first exit with --abort-on-container-exit (the first
 * failure with --abort-on-container-failure), or
 * Ctrl-C, which stops the project gracefully; a second Ctrl-C kills the containers.
 */
import type { Project } from '../spec/index.js';
import type { UpOptions, UpResult } from '../api/index.js';
import { Labels } from '../api/index.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { followProject } from './logs.js';
import { observeProject, storeFor } from './observe.js';
import { stopProject } from './verbs.js';
import { lockProject } from './lock.js';
import { projectDir } from './paths.js';
import { parseRestartPolicy, shouldRestart } from './backoff.js';
import { sleep } from '../util/sleep.js';

export async function attachProject(ctx: EngineContext, project: Project, names: readonly string[], options: UpOptions): Promise<UpResult> {
  // compose's: the named services (all when none), their dependencies with --attach-dependencies
  const named = options.services && options.services.length > 0 && !options.attachDependencies ? names.filter((n) => options.services!.includes(n)) : names;
  const attachSet = new Set(
    (options.attach && options.attach.length > 0 ? options.attach : named).filter((n) => !options.noAttach?.includes(n) && (options.attach?.includes(n) || project.services[n]?.attach !== false)),
  );
  const logsStop = new AbortController();
  const store = storeFor(ctx, project.name);
  const follow = options.onLog
    ? followProject(ctx, project.name, attachSet, { follow: true, signal: logsStop.signal, ...(options.logSkip !== undefined ? { skipAfter: options.logSkip } : {}) }, options.onLog)
    : Promise.resolve();

  // a second SIGINT/SIGTERM kills the containers at once (before the CLI exits)
  let interrupted = false;
  const hardKill = (): void => {
    if (!interrupted) {
      interrupted = true;
      return;
    }
    // synchronous: the CLI exits right after this listener returns
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  let livePids: number[] = [];
  process.prependListener('SIGINT', hardKill);
  process.prependListener('SIGTERM', hardKill);

  let exitCode = 0;
  let detached = false;
  try {
    const watched = new Set(names);
    const seenExit = new Set<string>();
    for (;;) {
      if (options.detachSignal?.aborted && !options.signal?.aborted) {
        detached = true;
        break;
      }
      if (options.signal?.aborted) {
        emit(ctx, { kind: 'warning', message: 'Gracefully stopping... (press Ctrl+C again to force)' });
        exitCode = 130;
        break;
      }
      const states = (await ctx.ports.runtime.list()).filter((s) => s.labels[Labels.project] === project.name && s.labels[Labels.oneoff] !== 'True' && watched.has(s.labels[Labels.service] ?? ''));
      livePids = states.filter((x) => x.pid > 0).map((x) => x.pid);
      let live = 0;
      let aborting: { code: number; service: string } | undefined;
      for (const s of states) {
        const restarting = store.readStatus(s.name)?.restartingUntil !== undefined;
        if (s.status === 'exited' && !restarting) {
          if (!seenExit.has(`${s.name}@${s.startedAt}`)) {
            seenExit.add(`${s.name}@${s.startedAt}`);
            emit(ctx, { kind: 'container', action: 'exited', project: project.name, service: s.labels[Labels.service] ?? '', container: s.name, id: s.id, exitCode: s.exitCode ?? 0 });
            const failed = (s.exitCode ?? 0) !== 0;
            if ((options.abortOnContainerExit || (options.abortOnContainerFailure && failed)) && !aborting) aborting = { code: s.exitCode ?? 0, service: s.labels[Labels.service] ?? '' };
          }
          if (willRestart(store, s.name, s.labels[Labels.service] ?? '', s.exitCode ?? 0)) live++;
        } else live++;
      }
      if (aborting) {
        exitCode = options.exitCodeFrom ? (exitCodeOf(states, options.exitCodeFrom) ?? aborting.code) : aborting.code;
        break;
      }
      if (live === 0 && states.length > 0) {
        if (options.exitCodeFrom) exitCode = exitCodeOf(states, options.exitCodeFrom) ?? 0;
        break;
      }
      await sleep(100);
    }
    // stop what still runs (Ctrl-C, --abort-on-container-exit); the logs finish first
    await sleep(150);
    if (detached) return { exitCode: 0 };
    const lock = await lockProject(projectDir(ctx.paths, project.name), project.name);
    try {
      const snap = await observeProject(ctx, project.name);
      if (snap.containers.some((c) => c.status === 'running' || c.status === 'paused')) await stopProject(ctx, snap, undefined, options.timeout);
    } finally {
      lock.release();
    }
  } finally {
    logsStop.abort();
    await follow;
    process.off('SIGINT', hardKill);
    process.off('SIGTERM', hardKill);
  }
  return { exitCode };
}

function exitCodeOf(states: readonly { labels: Readonly<Record<string, string>>; exitCode: number | undefined; status: string }[], service: string): number | undefined {
  const s = states.find((x) => x.labels[Labels.service] === service && x.status === 'exited');
  return s?.exitCode;
}

/** Whether the supervisor is restarting (or, per the policy, about to restart) the container. */
function willRestart(store: ReturnType<typeof storeFor>, name: string, service: string, exitCode: number): boolean {
  const st = store.readStatus(name);
  if (st?.restartingUntil !== undefined) return true;
  if (st?.gaveUp) return false;
  const record = store.read();
  const entry = record?.containers[name];
  const settings = record?.services[service];
  if (!entry || !settings) return false;
  return shouldRestart(parseRestartPolicy(settings.restart, settings.maxRetries), exitCode, st?.restarts ?? 0, entry.stoppedByUser === true);
}
