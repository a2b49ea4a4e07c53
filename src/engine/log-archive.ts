/**
 * Earlier runs' output of a container. A restart re-creates the runtime container (fresh
 * namespaces), which drops its log; the engine keeps the previous runs' lines in
 * projects/<p>/logs/<name>.jsonl so `logs` shows a container's whole history, as Docker does.
 * Bounded: the newest MAX_LINES are kept.
 */
import type { LogLine as RtLogLine } from '../runtime/index.js';
import type { EngineContext } from './context.js';
import type { StateStore } from './state-store.js';
const { appendFileSync, mkdirSync, readFileSync, writeFileSync, rmSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const MAX_LINES = 10_000;

function file(store: StateStore, name: string): string {
  return join(store.dir, 'logs', `${name}.jsonl`);
}

export async function archiveLogs(ctx: EngineContext, store: StateStore, name: string, id: string): Promise<void> {
  const lines: string[] = [];
  try {
    for await (const batch of ctx.ports.runtime.logs(id, { follow: false })) for (const l of batch) lines.push(JSON.stringify(l));
  } catch {
    return;
  }
  if (lines.length === 0) return;
  mkdirSync(join(store.dir, 'logs'), { recursive: true });
  appendFileSync(file(store, name), `${lines.join('\n')}\n`);
  const all = readFileSync(file(store, name), 'utf8').split('\n').filter(Boolean);
  if (all.length > MAX_LINES) writeFileSync(file(store, name), `${all.slice(-MAX_LINES).join('\n')}\n`);
}

export function archivedLogs(store: StateStore, name: string): RtLogLine[] {
  try {
    return readFileSync(file(store, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RtLogLine);
  } catch {
    return [];
  }
}

export function dropArchive(store: StateStore, name: string): void {
  rmSync(file(store, name), { force: true });
}
