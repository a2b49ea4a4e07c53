/**
 * `berth watch` and `berth up --watch`: watch (develop.watch rules, and with
 * --restart-on-change the bind-mounted directories) with the services' logs alongside, on
 * the dashboard on a terminal (`w` turns watch off and on), else as a stream. Watching ends
 * with Ctrl-C (or `q`, `d` on the dashboard); `up --watch` then stops the stack, `berth
 * watch` leaves it running (compose's rules); `q` on the dashboard always stops it.
 */
import type { CommandContext } from './command.js';
import type { Engine, ProjectSource } from '../api/index.js';
import { describe, UsageError } from '../errors.js';
import { rendererFor } from './commands/compose-shared.js';
import { openSession, monitorInto, type SessionControls } from './dashboard-session.js';
const { resolve } = process.getBuiltinModule('node:path');

export interface WatchSessionOptions {
  readonly source: ProjectSource;
  readonly services: readonly string[];
  readonly noUp?: boolean;
  readonly prune?: boolean;
  readonly quiet?: boolean;
  readonly restartOnChange?: boolean;
  /** `up --watch`: Ctrl-C stops the stack too. */
  readonly stopOnExit: boolean;
  readonly dashboard: boolean;
}

function aborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const any = AbortSignal.any(signals);
    if (any.aborted) resolve();
    else any.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function runWatchSession(ctx: CommandContext, engine: Engine, o: WatchSessionOptions): Promise<number> {
  const watchOptions = { source: o.source, services: o.services, prune: o.prune === true, quiet: o.quiet === true, verbose: ctx.global.verbose, restartOnChange: o.restartOnChange === true };
  if (!o.dashboard) {
    const orphan = orphanSignal(ctx);
    const signal = orphan ? AbortSignal.any([ctx.signal, orphan]) : ctx.signal;
    const renderer = await rendererFor(ctx);
    const logs = new AbortController();
    let following: Promise<void> = Promise.resolve();
    try {
      await ctx.backend.watch({
        ...watchOptions,
        noUp: o.noUp === true,
        signal,
        onEvent: (e) => renderer.event(e),
        // the services' logs alongside the watch messages, from the moment watching starts
        onReady: () => {
          following = engine.logs({ source: o.source, services: o.services, follow: true, tail: 0, onLog: (l) => renderer.log(l), signal: logs.signal }).catch(() => undefined);
        },
      });
      if (o.stopOnExit) await engine.stop({ source: o.source, onEvent: (e) => renderer.event(e) });
      return 0;
    } finally {
      logs.abort();
      await following;
      await renderer.close();
    }
  }
  const controls: SessionControls = { detach: new AbortController(), stop: new AbortController() };
  let current: AbortController | undefined;
  let watching: Promise<void> = Promise.resolve();
  const start = (noUp: boolean): void => {
    const ctl = (current = new AbortController());
    dash.setWatch('watching');
    watching = ctx.backend
      .watch({
        ...watchOptions,
        noUp,
        signal: AbortSignal.any([ctl.signal, ctx.signal, controls.stop.signal, controls.detach.signal]),
        onEvent: (e) => dash.event(e),
      })
      .catch((err: unknown) => dash.note(describe(err), 'watch'))
      .finally(() => {
        if (current === ctl) dash.setWatch('watch off (w: on)');
      });
  };
  const dash = await openSession(ctx, engine, o.source, controls, {
    toggleWatch: async () => {
      if (current && !current.signal.aborted) {
        current.abort();
        await watching;
        return 'watch off';
      }
      start(true);
      return 'watch on';
    },
    kill: async () => {
      await engine.kill({ source: o.source, onEvent: (e) => dash.event(e) });
    },
  });
  const following = new AbortController();
  const monitor = monitorInto(engine, o.source, dash, following.signal, true);
  try {
    start(o.noUp === true);
    await aborted(ctx.signal, controls.stop.signal, controls.detach.signal);
    current?.abort();
    await watching;
    if (controls.stop.signal.aborted || (ctx.signal.aborted && o.stopOnExit)) await engine.stop({ source: o.source, onEvent: (e) => dash.event(e) });
    return 0;
  } finally {
    following.abort();
    await monitor;
    await dash.close();
  }
}

/** `berth watch --no-up` with this command's global flags (paths made absolute), for the supervisor to run. */
export function watchSidecar(ctx: CommandContext, restartOnChange: boolean): { argv: string[]; cwd: string } {
  const g = ctx.global;
  if (g.files.includes('-')) throw new UsageError('--watch with --detach needs the compose file in a file, not on stdin');
  const abs = (p: string): string => resolve(ctx.cwd, p);
  const argv = [
    ...g.files.flatMap((f) => ['-f', abs(f)]),
    ...(g.projectName ? ['-p', g.projectName] : []),
    ...(g.projectDirectory ? ['--project-directory', abs(g.projectDirectory)] : []),
    ...g.envFiles.flatMap((f) => ['--env-file', abs(f)]),
    ...g.profiles.flatMap((p) => ['--profile', p]),
    'watch',
    '--no-up',
    ...(restartOnChange ? ['--restart-on-change'] : []),
    ...ctx.args,
  ];
  return { argv, cwd: ctx.cwd };
}

/** Aborts when the parent named by BERTH_PARENT_PID (the supervisor running this as its sidecar) is gone. */
function orphanSignal(ctx: CommandContext): AbortSignal | undefined {
  const parent = Number(ctx.env.BERTH_PARENT_PID);
  if (!parent) return undefined;
  const gone = new AbortController();
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      gone.abort();
    }
  }, 1000);
  timer.unref();
  return gone.signal;
}
