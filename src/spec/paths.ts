/**
 * Relative paths in a raw model become absolute against a base directory (the project
 * directory, or an `extends`/`include` file's own directory). Already-absolute paths and
 * remote build contexts are left alone, so the stage can run more than once.
 */
import { isRecord } from './path.js';
import { splitVolumeSpec } from './short-syntax.js';
const { isAbsolute, join, resolve } = process.getBuiltinModule('node:path');

export function isRemoteContext(context: string): boolean {
  return context.includes('://') || context.startsWith('git@') || context.startsWith('github.com/');
}

export function absPath(base: string, p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return isAbsolute(p) ? resolve(p) : resolve(base, p);
}

export function resolveServicePaths(service: Record<string, unknown>, base: string, home: string): Record<string, unknown> {
  const s = { ...service };
  const abs = (p: string): string => absPath(base, p, home);
  if (typeof s.build === 'string') s.build = { context: s.build };
  if (isRecord(s.build)) {
    const b = { ...s.build };
    const ctx = typeof b.context === 'string' ? b.context : '.';
    b.context = isRemoteContext(ctx) ? ctx : abs(ctx);
    if (isRecord(b.additional_contexts)) {
      b.additional_contexts = Object.fromEntries(Object.entries(b.additional_contexts).map(([k, v]) => [k, typeof v === 'string' && !v.includes(':') && !isRemoteContext(v) ? abs(v) : v]));
    }
    s.build = b;
  }
  if (typeof s.env_file === 'string') s.env_file = [s.env_file];
  if (Array.isArray(s.env_file)) {
    s.env_file = s.env_file.map((e) => (typeof e === 'string' ? abs(e) : isRecord(e) && typeof e.path === 'string' ? { ...e, path: abs(e.path) } : e));
  }
  if (typeof s.label_file === 'string') s.label_file = [s.label_file];
  if (Array.isArray(s.label_file)) s.label_file = s.label_file.map((e) => (typeof e === 'string' ? abs(e) : e));
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v) => {
      if (typeof v === 'string') {
        let parsed;
        try {
          parsed = splitVolumeSpec(v);
        } catch {
          return v; // reported by normalization with its position
        }
        if (parsed.type !== 'bind' || parsed.source === undefined) return v;
        return { ...parsed, source: abs(parsed.source) };
      }
      if (isRecord(v) && v.type === 'bind' && typeof v.source === 'string' && v.source !== '') return { ...v, source: abs(v.source) };
      return v;
    });
  }
  if (isRecord(s.develop) && Array.isArray(s.develop.watch)) {
    s.develop = {
      ...s.develop,
      watch: s.develop.watch.map((w) => (isRecord(w) && typeof w.path === 'string' ? { ...w, path: abs(w.path) } : w)),
    };
  }
  return s;
}

export function resolveModelPaths(model: Record<string, unknown>, base: string, home: string): Record<string, unknown> {
  const out = { ...model };
  if (isRecord(out.services)) {
    out.services = Object.fromEntries(Object.entries(out.services).map(([name, svc]) => [name, isRecord(svc) ? resolveServicePaths(svc, base, home) : svc]));
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const group = out[kind];
    if (!isRecord(group)) continue;
    out[kind] = Object.fromEntries(Object.entries(group).map(([name, def]) => [name, isRecord(def) && typeof def.file === 'string' ? { ...def, file: absPath(base, def.file, home) } : def]));
  }
  return out;
}

/**
 * `config --no-path-resolution`: the canonical output with the paths loading made absolute
 * written relative to the project directory again (`./site`, `.`), as docker compose prints
 * them; paths outside the project stay absolute. Files were still read from their real place.
 */
export function unresolveModelPaths(model: Record<string, unknown>, projectDir: string): Record<string, unknown> {
  const rel = (p: unknown): unknown => {
    if (typeof p !== 'string' || !isAbsolute(p)) return p;
    if (p === projectDir) return '.';
    return p.startsWith(`${projectDir}/`) ? `./${p.slice(projectDir.length + 1)}` : p;
  };
  const relFile = (e: unknown): unknown => (isRecord(e) && 'path' in e ? { ...e, path: rel(e.path) } : rel(e));
  const out = { ...model };
  if (isRecord(out.services)) {
    out.services = Object.fromEntries(
      Object.entries(out.services).map(([name, svc]) => {
        if (!isRecord(svc)) return [name, svc];
        const s = { ...svc };
        if (isRecord(s.build)) {
          const b: Record<string, unknown> = { ...s.build, context: rel(s.build.context) };
          if (isRecord(b.additional_contexts)) b.additional_contexts = Object.fromEntries(Object.entries(b.additional_contexts).map(([k, v]) => [k, rel(v)]));
          s.build = b;
        }
        if (Array.isArray(s.env_file)) s.env_file = s.env_file.map(relFile);
        if (Array.isArray(s.label_file)) s.label_file = s.label_file.map(relFile);
        if (Array.isArray(s.volumes)) s.volumes = s.volumes.map((v) => (isRecord(v) && v.type === 'bind' ? { ...v, source: rel(v.source) } : v));
        if (isRecord(s.develop) && Array.isArray(s.develop.watch)) s.develop = { ...s.develop, watch: s.develop.watch.map((w) => (isRecord(w) ? { ...w, path: rel(w.path) } : w)) };
        return [name, s];
      }),
    );
  }
  for (const kind of ['secrets', 'configs'] as const) {
    const group = out[kind];
    if (isRecord(group)) out[kind] = Object.fromEntries(Object.entries(group).map(([name, def]) => [name, isRecord(def) ? { ...def, file: rel(def.file) } : def]));
  }
  return out;
}
