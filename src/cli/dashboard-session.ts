/**
 * The dashboard's keys carried out on the Engine (restart, stop/start, recreate, a shell,
 * detach, quit), shared by attached `up` and `berth dashboard`. The dashboard itself
 * (src/ui/dashboard) only draws events and reports keys.
 */
import type { CommandContext } from './command.js';
import type { Engine, LogLine, ProjectSource, UpOptions } from '../api/index.js';
import type { DashboardHandle, DashboardAction as Action, DashboardHistoryReader as HistoryRead } from '../ui/index.js';
import { describe } from '../errors.js';
import { envBool } from './commands/compose-shared.js';
const { basename } = process.getBuiltinModule('node:path');

/**
 * How far (bytes) the dashboard's log followers may fall behind the files before they skip
 * ahead to the newest lines: the screen stays current (a service logging flat out is shown a
 * read of its newest lines per poll, the rest counted, not parsed), the files keep every line.
 */
const SCREEN_LAG_BYTES = 256 << 10;

/**
 * On a terminal (stdin and stdout), attached, not in CI (`CI` set, as ink's rule), no
 * --progress/COMPOSE_PROGRESS/BERTH_PROGRESS other than auto, not turned off by `--menu=false`
 * or COMPOSE_MENU=false (berth's dashboard is its navigation menu).
 */
export function wantsDashboard(ctx: CommandContext): boolean {
  // compose's navigation menu switch: `--menu` (up), else COMPOSE_MENU, else on
  const menu = ctx.flags.menu;
  if (menu === false || (menu === undefined && ctx.env.COMPOSE_MENU !== undefined && !envBool(ctx.env.COMPOSE_MENU))) return false;
  const progress = ctx.global.progress ?? ctx.env.BERTH_PROGRESS ?? 'auto';
  const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  const ci = ctx.env.CI !== undefined && ctx.env.CI !== '0' && ctx.env.CI !== 'false';
  return progress === 'auto' && ctx.stdout.isTTY === true && stdin.isTTY === true && !ci && ctx.env.TERM !== 'dumb';
}

export interface SessionControls {
  /** `d`: the stack keeps running, berth exits 0. */
  readonly detach: AbortController;
  /** `q` / Ctrl-C: stop the stack and quit. */
  readonly stop: AbortController;
}

/** The action handler for openDashboard: each key is one engine call whose events the dashboard draws. */
export function sessionActions(
  ctx: CommandContext,
  engine: Engine,
  source: ProjectSource,
  controls: SessionControls,
  dash: () => DashboardHandle,
  extra: { toggleWatch?: () => Promise<string>; kill?: () => Promise<void> } = {},
) {
  let quitting = false;
  return async (action: Action, target: { service: string | undefined; container: string | undefined; running: boolean }): Promise<string | undefined> => {
    const d = dash();
    const common = { source, onEvent: (e: Parameters<DashboardHandle['event']>[0]) => d.event(e) };
    const service = target.service;
    switch (action) {
      case 'detach':
        d.setStatus('detaching: the stack keeps running');
        controls.detach.abort();
        return undefined;
      case 'quit':
        if (quitting) {
          d.setStatus('killing the stack');
          await extra.kill?.();
          return undefined;
        }
        quitting = true;
        d.setStatus('stopping the stack (q or Ctrl-C again: kill)');
        controls.stop.abort();
        return undefined;
      case 'toggle-watch':
        return extra.toggleWatch ? extra.toggleWatch() : 'watch: start berth with --watch (or berth watch) to use it';
      default:
        break;
    }
    if (!service) return 'no service selected';
    switch (action) {
      case 'restart':
        d.note(`restarting ${service}`);
        await engine.restart({ ...common, services: [service] });
        return `restarted ${service}`;
      case 'stop-start':
        if (target.running) {
          await engine.stop({ ...common, services: [service] });
          return `stopped ${service} (s starts it again)`;
        }
        await engine.start({ ...common, services: [service] });
        return `started ${service}`;
      case 'recreate':
        await engine.up({ ...common, services: [service], detach: true, forceRecreate: true, noDeps: true });
        return `recreated ${service}`;
      case 'shell': {
        let code = 0;
        await d.suspend(async () => {
          ctx.stdout.write(`\x1b[2J\x1b[H(berth) a shell in ${target.container ?? service}; exit returns to the dashboard\n`);
          const stdin = ctx.stdin as NodeJS.ReadableStream & { setRawMode?(raw: boolean): void };
          stdin.setRawMode?.(true);
          try {
            code = await engine.exec({ source, service, command: ['sh'], tty: true, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
          } finally {
            stdin.setRawMode?.(false);
          }
        });
        return `shell in ${service} exited (${code})`;
      }
      default:
        return undefined;
    }
  };
}

/** Opens the dashboard (loaded only now: ink) with the session's keys. */
export async function openSession(ctx: CommandContext, engine: Engine, source: ProjectSource, controls: SessionControls, extra: Parameters<typeof sessionActions>[5] = {}): Promise<DashboardHandle> {
  const { loadDashboard } = await import('../ui/index.js');
  const { openDashboard } = await loadDashboard();
  const stdout = ctx.stdout as CommandContext['stdout'] & { rows?: number };
  let dash: DashboardHandle | undefined;
  dash = openDashboard(
    { stdin: ctx.stdin, stdout, stderr: ctx.stderr },
    {
      project: ctx.global.projectName ?? basename(ctx.global.projectDirectory ?? ctx.cwd),
      color: ctx.env.NO_COLOR === undefined && ctx.flags['no-color'] !== true,
      onAction: sessionActions(ctx, engine, source, controls, () => dash!, extra),
      history: historyReader(engine, source),
    },
  );
  return dash;
}

/** The dashboard's scroll-back into the log files: one `logs` read (a look: no supervisor revived), merged by time. */
export function historyReader(engine: Engine, source: ProjectSource): HistoryRead {
  return async (read) => {
    const lines: LogLine[] = [];
    await engine.logs({
      source,
      peek: true,
      follow: false,
      ...(read.service !== undefined ? { services: [read.service] } : {}),
      ...(read.since !== undefined ? { since: read.since } : {}),
      ...(read.until !== undefined ? { until: read.until } : {}),
      ...(read.tail !== undefined ? { tail: read.tail } : {}),
      ...(read.head !== undefined ? { head: read.head } : {}),
      onLog: (l) => lines.push(l),
    });
    // stable: each container's lines keep their order within a millisecond
    return lines.sort((a, b) => a.time - b.time);
  };
}

/** Follows the project (status snapshots, the supervisor's events) into the dashboard until `signal` aborts. */
export function monitorInto(engine: Engine, source: ProjectSource, dash: DashboardHandle, signal: AbortSignal, logs: boolean): Promise<void> {
  return engine
    .monitor({ source, events: true, onEvent: (e) => dash.event(e), ...(logs ? { onLog: (l) => dash.log(l), tail: 500, logSkip: SCREEN_LAG_BYTES } : {}), signal })
    .catch((err: unknown) => dash.note(`monitor: ${describe(err)}`));
}

/** Attached `up` on a terminal: the dashboard until the stack ends, `d` (exit 0, it keeps running) or `q` (stopped). */
export async function upWithDashboard(ctx: CommandContext, engine: Engine, options: Omit<UpOptions, 'onEvent' | 'onLog' | 'signal'>): Promise<number> {
  const controls: SessionControls = { detach: new AbortController(), stop: new AbortController() };
  const dash = await openSession(ctx, engine, options.source, controls, {
    // a second q / Ctrl-C is a second SIGINT: attached up kills the containers at once and the CLI exits
    kill: async () => {
      await dash.close();
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
    },
  });
  const following = new AbortController();
  const monitor = monitorInto(engine, options.source, dash, following.signal, false);
  try {
    const signal = AbortSignal.any([ctx.signal, controls.stop.signal]);
    const result = await engine.up({ ...options, onEvent: (e) => dash.event(e), onLog: (l) => dash.log(l), logSkip: SCREEN_LAG_BYTES, signal, detachSignal: controls.detach.signal });
    if (controls.detach.signal.aborted) return 0;
    return controls.stop.signal.aborted && !ctx.signal.aborted ? 0 : result.exitCode;
  } finally {
    following.abort();
    await monitor;
    await dash.close();
    if (controls.detach.signal.aborted) ctx.stdout.write('Detached: the stack keeps running (berth ps, berth dashboard, berth down)\n');
  }
}

/** `berth dashboard`: a running project's status, events and logs; `d` leaves it running, `q` stops it. */
export async function attachDashboard(ctx: CommandContext, engine: Engine, source: ProjectSource): Promise<number> {
  const controls: SessionControls = { detach: new AbortController(), stop: new AbortController() };
  const killed = new AbortController();
  const dash = await openSession(ctx, engine, source, controls, {
    kill: async () => {
      killed.abort();
      await engine.kill({ source, onEvent: (e) => dash.event(e) });
    },
  });
  try {
    await monitorInto(engine, source, dash, AbortSignal.any([ctx.signal, controls.stop.signal, controls.detach.signal]), true);
    if (controls.stop.signal.aborted || ctx.signal.aborted) {
      const following = new AbortController();
      const monitor = monitorInto(engine, source, dash, following.signal, true);
      try {
        if (!killed.signal.aborted) await engine.stop({ source, onEvent: (e) => dash.event(e) });
      } finally {
        following.abort();
        await monitor;
      }
    }
    return 0;
  } finally {
    await dash.close();
  }
}
