/**
 * `berth watch` and `berth up --watch`: watch (develop.watch rules, and with
 * --restart-on-change the bind-mounted directories) with the services' logs alongside, on
 * the dashboard on a terminal (`w` turns watch off and on), else as a stream. Watching ends
 * with Ctrl-C (or `q`, `d` on the dashboard); `up --watch` then stops the stack, `berth
 * watch` leaves it running (compose's rules); `q` on the dashboard always stops it.
 */
import type { CommandContext } from './command.js';
import type { Engine, ProjectSource } from '../api/index.js';
import { describe } from '../errors.js';
import { rendererFor } from './commands/compose-shared.js';
import { openSession, monitorInto, type SessionControls } from './dashboard-session.js';

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
    const renderer = await rendererFor(ctx);
    const logs = new AbortController();
    let following: Promise<void> = Promise.resolve();
    try {
      await ctx.backend.watch({
        ...watchOptions,
        noUp: o.noUp === true,
        signal: ctx.signal,
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
