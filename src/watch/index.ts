/** `berth watch`: develop.watch rules -> sync/restart/exec on an engine (README.md). */
export { watchProject, type WatchOptions } from './watch.js';
export { planBatch, makePlan, matchRule, type WatchPlan, type WatchStep, type SyncEntry } from './plan.js';
export { applyPlan, archiveOf, type WatchTarget, type WatchMessage, type ExecResult, type ApplyOptions } from './apply.js';
export { compileRules, type CompiledRule, type CompiledRules } from './rules.js';
export { patternMatcher, type PathMatcher } from './matcher.js';
export { Debouncer, QUIET_PERIOD_MS, type Timers } from './debounce.js';
export { engineTarget } from './engine-target.js';
export { chokidarWatcher, type FileWatcher, type FileWatcherFactory } from './file-watcher.js';
export { initialSyncEntries } from './initial-sync.js';
