/**
 * `watchProject`: `berth watch`. Loads the project, checks the `develop.watch` rules,
 * brings the services up through the engine (unless noUp), runs initial syncs, then
 * turns debounced file events into plans and applies them until the signal aborts.
 * It never prints: messages go to `onMessage`, engine events to `onEvent`.
 */
import { loadFromSource } from '../api/index.js';
import { BerthError, describe } from '../errors.js';
import type { Engine, EventSink, ProjectSource } from '../api/index.js';
import { applyPlan, type WatchMessage, type WatchTarget } from './apply.js';
import { Debouncer, QUIET_PERIOD_MS } from './debounce.js';
import { initialSyncEntries } from './initial-sync.js';
import { makePlan, planBatch } from './plan.js';
import { compileRules, isChild, type CompiledRule } from './rules.js';
import { engineTarget } from './engine-target.js';
import { chokidarWatcher, type FileWatcherFactory } from './file-watcher.js';

export interface WatchOptions {
  readonly engine: Engine;
  readonly source: ProjectSource;
  /** Services named on the command line (empty = all). */
  readonly services?: readonly string[];
  /** `--no-up`: watch only; the services must already run. */
  readonly noUp?: boolean;
  /** `--prune`: after a rebuild, remove the image the old containers ran on when nothing else uses it. */
  readonly prune?: boolean;
  /** `--quiet`: fewer messages (no per-path detail, no build output). */
  readonly quiet?: boolean;
  /** Ctrl-C: stops watching; containers keep running (as compose). */
  readonly signal: AbortSignal;
  readonly onMessage?: (m: WatchMessage) => void;
  readonly onEvent?: EventSink;
  /** Name every synced path in messages (`--verbose`, compose's --debug). */
  readonly verbose?: boolean;
  /** Debounce quiet period (default 500 ms, compose's). */
  readonly quietPeriodMs?: number;
  /** Seams for tests: the engine binding and the file watcher. */
  readonly target?: WatchTarget;
  readonly watcher?: FileWatcherFactory;
  /** Called once watching has started (after initial syncs). */
  readonly onReady?: () => void;
  /** berth's own: restart a service when files change under the host directories it bind-mounts. */
  readonly restartOnChange?: boolean;
}

/** Whether chokidar may skip `p`: no rule would ever act on it. */
function ignoredBy(rules: readonly CompiledRule[]): (p: string) => boolean {
  return (p) => !rules.some((r) => isChild(p, r.rule.path) || (isChild(r.rule.path, p) && !r.ignore.matches(p)));
}

/** `--verbose`: the paths of a batch, as the watcher got them (at most 100 named). */
function changesText(batch: readonly string[]): string {
  const named = batch.slice(0, 100).join(', ');
  return `Changes detected: ${named}${batch.length > 100 ? ` and ${batch.length - 100} more` : ''}`;
}

export async function watchProject(o: WatchOptions): Promise<void> {
  const say = (level: WatchMessage['level'], text: string): void => o.onMessage?.({ level, text });
  const project = await loadFromSource(o.source);
  const compiled = compileRules(project, o.services ?? [], { restartOnChange: o.restartOnChange === true });
  for (const s of compiled.unwatched) say('info', `service ${s} has no develop.watch section${o.restartOnChange ? ' and no bind-mounted directory' : ''}; it is not watched`);
  for (const w of compiled.warnings) say('warn', w);
  if (compiled.rules.length === 0) {
    throw new BerthError('watch/none', "none of the selected services is configured for watch, consider setting a 'develop' section", {
      hint: o.restartOnChange
        ? 'none of them bind-mounts a host directory either'
        : 'see https://docs.docker.com/compose/how-tos/file-watch/, or --restart-on-change to restart services when their bind-mounted directories change',
    });
  }
  if (o.signal.aborted) return;
  if (!o.noUp) {
    await o.engine.up({ source: o.source, services: o.services ?? [], detach: true, ...(o.onEvent ? { onEvent: o.onEvent } : {}), signal: o.signal });
  }
  // --quiet hides the build output of rebuilds (image events), as compose's
  const sink = o.onEvent;
  const onEvent: EventSink | undefined =
    sink && o.quiet
      ? (e) => {
          if (e.kind !== 'image') sink(e);
        }
      : sink;
  const target = o.target ?? engineTarget(o.engine, o.source, onEvent ? { onEvent } : {});
  const apply = { signal: o.signal, onMessage: (m: WatchMessage) => o.onMessage?.(m), verbose: o.verbose === true && o.quiet !== true, prune: o.prune === true };

  for (const r of compiled.rules) {
    if (!r.rule.initial_sync || (r.rule.action !== 'sync' && r.rule.action !== 'sync+restart')) continue;
    const entries = initialSyncEntries(r);
    if (entries.length === 0) continue;
    const plan = makePlan([{ kind: 'sync', service: r.service, entries }]);
    await applyPlan(target, plan, apply);
  }

  // one batch at a time; events that arrive meanwhile form the next batch
  let chain: Promise<void> = Promise.resolve();
  const debouncer = new Debouncer(o.quietPeriodMs ?? QUIET_PERIOD_MS, (batch) => {
    chain = chain.then(async () => {
      if (o.signal.aborted) return;
      if (batch.length > 1000) say('info', 'Large batch of file changes detected. If you just switched branches, this is expected.');
      try {
        if (apply.verbose) say('info', changesText(batch));
        const plan = planBatch(compiled.rules, batch);
        await applyPlan(target, plan, apply);
      } catch (err) {
        if (!o.signal.aborted) say('warn', `Error handling changed files: ${describe(err)}`);
      }
    });
  });
  const factory = o.watcher ?? chokidarWatcher;
  const fw = factory(compiled.paths, {
    ignored: ignoredBy(compiled.rules),
    onChange: (p) => debouncer.add(p),
    onError: (err) => say('warn', `watch error: ${describe(err)}`),
  });
  try {
    await fw.ready;
    if (!o.signal.aborted) {
      say('info', 'Watch enabled');
      o.onReady?.();
      await new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve(), { once: true }));
    }
  } finally {
    debouncer.stop();
    await fw.close();
    await chain;
    say('info', 'Watch disabled');
  }
}
