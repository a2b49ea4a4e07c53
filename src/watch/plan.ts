/**
 * `planBatch`: pure. One debounced batch of changed host paths + the compiled rules ->
 * the steps compose takes, in compose's order: rebuild, sync (per service), restart,
 * exec hooks (once per rule). Whether a path is copied or deleted is decided when the
 * plan is applied (the file may vanish in between).
 */
import type { ServiceHook, WatchRule } from '../spec/index.js';
import { isChild, type CompiledRule } from './rules.js';
const { posix, relative, sep } = process.getBuiltinModule('node:path');

export interface SyncEntry {
  readonly hostPath: string;
  readonly containerPath: string;
}

export type WatchStep =
  | { readonly kind: 'rebuild'; readonly service: string; readonly paths: readonly string[] }
  | { readonly kind: 'sync'; readonly service: string; readonly entries: readonly SyncEntry[] }
  | { readonly kind: 'restart'; readonly services: readonly string[] }
  | { readonly kind: 'exec'; readonly service: string; readonly hook: ServiceHook };

export interface WatchPlan {
  readonly steps: readonly WatchStep[];
  toString(): string;
}

/** The container path of `hostPath` under a rule, or undefined when the rule does not apply. */
export function matchRule(r: CompiledRule, hostPath: string): SyncEntry | undefined {
  const { path, target } = r.rule;
  if (!isChild(path, hostPath)) return undefined;
  if (!r.include.matches(hostPath) && hostPath !== path) return undefined;
  if (r.ignore.matches(hostPath)) return undefined;
  const rel = relative(path, hostPath).split(sep).join('/');
  return { hostPath, containerPath: target ? posix.join(target, rel) : '' };
}

export function stepText(s: WatchStep): string {
  switch (s.kind) {
    case 'rebuild':
      return `rebuild ${s.service} (${s.paths.length} change${s.paths.length === 1 ? '' : 's'})`;
    case 'sync':
      return [`sync ${s.service}:`, ...s.entries.map((e) => `  ${e.hostPath} -> ${e.containerPath}`)].join('\n');
    case 'restart':
      return `restart ${s.services.join(', ')}`;
    case 'exec':
      return `exec ${s.service}: ${JSON.stringify(s.hook.command)}`;
  }
}

export function makePlan(steps: readonly WatchStep[]): WatchPlan {
  return { steps, toString: () => steps.map(stepText).join('\n') };
}

export function planBatch(rules: readonly CompiledRule[], changed: Iterable<string>): WatchPlan {
  const paths = [...new Set(changed)].sort();
  const rebuild = new Map<string, string[]>();
  const sync = new Map<string, Map<string, SyncEntry>>();
  const restart = new Set<string>();
  const exec = new Map<string, Set<number>>();
  for (const p of paths) {
    rules.forEach((r, i) => {
      const m = matchRule(r, p);
      if (!m) return;
      const action: WatchRule['action'] = r.rule.action;
      if (action === 'rebuild') {
        rebuild.set(r.service, [...(rebuild.get(r.service) ?? []), p]);
        return;
      }
      if (action === 'restart') {
        restart.add(r.service);
        return;
      }
      const entries = sync.get(r.service) ?? new Map<string, SyncEntry>();
      entries.set(`${m.hostPath}\0${m.containerPath}`, m);
      sync.set(r.service, entries);
      if (action === 'sync+restart') restart.add(r.service);
      if (action === 'sync+exec') exec.set(r.service, (exec.get(r.service) ?? new Set()).add(i));
    });
  }
  const steps: WatchStep[] = [];
  for (const [service, ps] of [...rebuild].sort(byKey)) steps.push({ kind: 'rebuild', service, paths: ps });
  for (const [service, entries] of [...sync].sort(byKey)) steps.push({ kind: 'sync', service, entries: [...entries.values()] });
  if (restart.size > 0) steps.push({ kind: 'restart', services: [...restart].sort() });
  for (const [service, idx] of [...exec].sort(byKey)) {
    for (const i of [...idx].sort((a, b) => a - b)) steps.push({ kind: 'exec', service, hook: rules[i]!.rule.exec! });
  }
  return makePlan(steps);
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
