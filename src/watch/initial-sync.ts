/**
 * `initial_sync`: every file under a sync rule's path that the rule would sync, except
 * Dockerfiles and compose files (as compose). Walks the host tree; skips ignored folders.
 */
import { patternMatcher } from './matcher.js';
import { matchRule, type SyncEntry } from './plan.js';
import type { CompiledRule } from './rules.js';
const { readdirSync, statSync } = process.getBuiltinModule('node:fs');
const { basename, join } = process.getBuiltinModule('node:path');

const COMPOSE_FILES = [
  'Dockerfile',
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

export function initialSyncEntries(r: CompiledRule): SyncEntry[] {
  const skipNames = new Set(COMPOSE_FILES);
  const extra = patternMatcher('/', ['**/Dockerfile']);
  const out: SyncEntry[] = [];
  const root = r.rule.path;
  let st;
  try {
    st = statSync(root);
  } catch {
    return out;
  }
  if (st.isFile()) {
    if (!skipNames.has(basename(root)) && !r.ignore.matches(root) && r.rule.target) out.push({ hostPath: root, containerPath: r.rule.target });
    return out;
  }
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return; // vanished while walking
    }
    for (const n of names) {
      const p = join(dir, n);
      if (r.ignore.matches(p)) continue;
      let s;
      try {
        s = statSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) walk(p);
      else if (!skipNames.has(n) && !extra.matches(p)) {
        const m = matchRule(r, p);
        if (m) out.push(m);
      }
    }
  };
  walk(root);
  return out;
}
