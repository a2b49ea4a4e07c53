/**
 * The live dashboard on a terminal: ink in the alternate screen, fed by engine events and
 * log lines (a `Renderer`), answering keys through `onAction`. Frames are throttled: data
 * marks the screen dirty and a timer draws at most `fps` times a second; a key draws at
 * once; a data frame that took long (a contended CPU) delays the next one by ten times its
 * time (at most a second), which keeps berth idle for keys. The terminal's size is read on
 * every frame (resize-aware).
 */
import { render, useApp, useInput, type Instance, type Key } from 'ink';
import { useEffect } from 'react';
import type { EngineEvent, LogLine } from '../../api/index.js';
import type { Renderer } from '../renderer.js';
import { DashboardModel } from './model.js';
import { LogStore } from './log-store.js';
import { paneLines } from './pane-lines.js';
import { LogHistory, type HistoryReader } from './history.js';
import { initialView, onKey, splitKeys, type Action, type ViewState } from './keys.js';
import { Dashboard, layout } from './Dashboard.js';
import { pullLines } from './PullBars.js';

export interface DashboardStreams {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: NodeJS.WritableStream;
}

/** What a key asks of the stack; the CLI carries it out. Returns a message for the footer. */
export type ActionHandler = (action: Action, target: { service: string | undefined; container: string | undefined; running: boolean }) => Promise<string | undefined> | string | undefined;

export interface DashboardOptions {
  readonly project: string;
  readonly color: boolean;
  readonly onAction: ActionHandler;
  /** Frames per second at most for data (default 5: a frame costs what the followers of 10 services flat out cost together). */
  readonly fps?: number;
  /** Log lines kept per service (default 10 000). */
  readonly linesPerService?: number;
  /** Reads older lines from the log files when the view scrolls back past memory (none: memory only). */
  readonly history?: HistoryReader;
  /** Lines of the log files held at most while scrolled back (default 2000). */
  readonly historyLines?: number;
  /** Tests: a fixed clock, no alternate screen, no timer. */
  readonly now?: () => number;
  readonly alternateScreen?: boolean;
}

export interface DashboardHandle extends Renderer {
  /** berth's own line in the log pane; `source` names it (`watch`: synced, restarted). */
  note(text: string, source?: string): void;
  setWatch(state: string | undefined): void;
  setStatus(text: string | undefined): void;
  /** Gives the terminal to `fn` (a shell), then draws the dashboard again. */
  suspend(fn: () => Promise<void>): Promise<void>;
  readonly model: DashboardModel;
  readonly logs: LogStore;
  readonly history: LogHistory | undefined;
}

type Suspend = (fn: () => Promise<void>) => Promise<void>;

/**
 * How long after a data frame that took `cost` ms the next may be drawn: ten times its time, at
 * most a second. A frame is ~5 ms of CPU; when it takes far longer the CPU is contended (services
 * logging flat out) and fewer frames keep berth idle, so a key finds it ready.
 */
export function dataFrameGap(cost: number): number {
  return Math.min(1000, cost * 10);
}

function App(props: { readonly frame: () => React.ReactElement; readonly onInput: (input: string, key: Key) => void; readonly onSuspend: (s: Suspend) => void }) {
  const { suspendTerminal } = useApp();
  useEffect(() => {
    props.onSuspend(suspendTerminal as Suspend);
  }, [suspendTerminal, props]);
  useInput((input, key) => props.onInput(input, key));
  return props.frame();
}

export function openDashboard(streams: DashboardStreams, options: DashboardOptions): DashboardHandle {
  const now = options.now ?? Date.now;
  const model = new DashboardModel();
  const logs = new LogStore(options.linesPerService);
  const history = options.history ? new LogHistory(options.history, () => draw(), options.historyLines) : undefined;
  let view: ViewState = initialView;
  let watch: string | undefined;
  let status: string | undefined;
  let dirty = true;
  let drawnSecond = 0;
  let suspend: Suspend | undefined;
  let closed = false;

  const size = () => ({ width: streams.stdout.columns ?? 80, height: streams.stdout.rows ?? 24 });
  const logPage = (): number => {
    const { height } = size();
    return layout(model.rows().length, height, pullLines(model.rows()).length).logs;
  };

  const frame = (): React.ReactElement => {
    const { width, height } = size();
    const rows = model.rows();
    const page = layout(rows.length, height, pullLines(rows).length).logs;
    const { lines, files, scroll } = paneLines(logs, history, view, page);
    if (scroll !== view.scroll) view = { ...view, scroll };
    const query = { ...(view.logService !== undefined ? { service: view.logService } : {}), ...(view.search ? { search: view.search } : {}) };
    return (
      <Dashboard
        project={model.project ?? options.project}
        rows={rows}
        logs={lines}
        {...(view.search ? { matches: logs.count(query) } : {})}
        {...(files !== undefined ? { files } : {})}
        view={view}
        width={width}
        height={height}
        now={now()}
        color={options.color}
        {...(watch !== undefined ? { watch } : {})}
        {...(status !== undefined ? { status } : {})}
      />
    );
  };

  const draw = (): void => {
    if (closed) return;
    dirty = false;
    drawnSecond = Math.floor(now() / 1000);
    instance.rerender(app());
  };

  const act = async (action: Action): Promise<void> => {
    const row = model.rows()[view.selected];
    try {
      const message = await options.onAction(action, { service: row?.service, container: row?.container, running: row?.phase === 'running' || row?.phase === 'restarting' });
      view = { ...view, ...(message !== undefined ? { message } : {}) };
    } catch (err) {
      view = { ...view, message: `${action}: ${err instanceof Error ? err.message : String(err)}` };
    }
    draw();
  };

  const onInput = (input: string, key: Key): void => {
    for (const press of splitKeys(input, key)) {
      const rows = model.rows();
      const r = onKey({ ...view, message: undefined }, press, { rowServices: rows.map((x) => x.service), page: Math.max(1, logPage() - 1) });
      view = r.view;
      if (r.action) void act(r.action);
    }
    draw();
  };

  const app = (): React.ReactElement => <App frame={frame} onInput={onInput} onSuspend={(s) => (suspend = s)} />;

  const instance: Instance = render(app(), {
    stdout: streams.stdout,
    stdin: streams.stdin,
    stderr: streams.stderr,
    patchConsole: false,
    exitOnCtrlC: false,
    // ink's own throttle only joins frames closer than this (the timer paces data): a key's frame waits at most 16 ms
    maxFps: 60,
    interactive: true,
    alternateScreen: options.alternateScreen ?? true,
  });

  const onResize = (): void => draw();
  streams.stdout.on('resize', onResize);
  // a data frame that took long (the CPU is contended: services logging flat out) holds the
  // next one back for a multiple of its time, so that berth is idle when a key comes
  let nextDataFrame = 0;
  const timer = options.now
    ? undefined
    : setInterval(
        () => {
          // data arrived, or a second passed (uptimes, restart countdowns)
          const t0 = performance.now();
          if (t0 < nextDataFrame || !(dirty || Math.floor(now() / 1000) !== drawnSecond)) return;
          draw();
          nextDataFrame = t0 + dataFrameGap(performance.now() - t0);
        },
        Math.round(1000 / (options.fps ?? 5)),
      );
  timer?.unref();

  return {
    model,
    logs,
    history,
    event(event: EngineEvent) {
      model.apply(event);
      if (event.kind === 'warning' || event.kind === 'info') logs.note(event.message);
      if (event.kind === 'error') logs.note(`error: ${event.message}`);
      if (event.kind === 'watch' && event.action !== 'watching') logs.note(`${event.action}${event.service ? ` ${event.service}` : ''}${event.detail ? `: ${event.detail}` : ''}`, 'watch');
      dirty = true;
      // keep the selection on a row that exists
      const n = model.rows().length;
      if (view.selected >= n && n > 0) view = { ...view, selected: n - 1 };
    },
    log(line: LogLine) {
      if (line.skipped) logs.note(`… ${line.skippedEstimate ? '~' : ''}${line.skipped} lines of ${line.service}-${line.number} skipped on screen (all in the log files)`, line.service);
      logs.add(line);
      dirty = true;
    },
    note(text: string, source?: string) {
      logs.note(text, source);
      dirty = true;
    },
    setWatch(state) {
      watch = state;
      dirty = true;
    },
    setStatus(text) {
      status = text;
      draw();
    },
    async suspend(fn) {
      if (suspend) await suspend(fn);
      else await fn();
      draw();
    },
    async close() {
      if (closed) return;
      if (timer) clearInterval(timer);
      streams.stdout.off('resize', onResize);
      closed = true;
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
