/**
 * Stage "merge": several compose files (and `extends`) combine with compose's rules:
 * mappings merge, scalars replace, sequences append; special rules keyed by path
 * (compose-go `override/merge.go` and `override/uncity.go` are the model).
 * `!reset` removes a value, `!override` replaces it instead of merging.
 */
import { compileTable, isRecord, joinPath, lookup } from './path.js';
import { splitVolumeSpec } from './short-syntax.js';

export interface MergeTags {
  readonly resets: ReadonlySet<string>;
  readonly overrides: ReadonlySet<string>;
}

const NO_TAGS: MergeTags = { resets: new Set(), overrides: new Set() };

type Merger = (base: unknown, over: unknown, seg: string[], path: string, tags: MergeTags) => unknown;

const replace: Merger = (_b, over) => over;

const toSequence: Merger = (base, over) => [...asSequence(base), ...asSequence(over)];

const specials = compileTable<Merger>({
  'services.*.command': replace,
  'services.*.entrypoint': replace,
  'services.*.healthcheck.test': replace,
  'services.*.environment': toSequence,
  'services.*.labels': toSequence,
  'services.*.annotations': toSequence,
  'services.*.sysctls': toSequence,
  'services.*.build.args': toSequence,
  'services.*.build.labels': toSequence,
  'services.*.build.additional_contexts': toSequence,
  'services.*.deploy.labels': toSequence,
  'services.*.extra_hosts': mergeExtraHosts,
  'services.*.build.extra_hosts': mergeExtraHosts,
  'services.*.dns': toList,
  'services.*.dns_opt': toList,
  'services.*.dns_search': toList,
  'services.*.env_file': toList,
  'services.*.tmpfs': toList,
  'services.*.depends_on': (b, o, s, p, t) => mergeValue(dependsOnMap(b), dependsOnMap(o), s, p, t, true),
  'services.*.networks': (b, o, s, p, t) => mergeValue(networksMap(b), networksMap(o), s, p, t, true),
  'services.*.build': (b, o, s, p, t) => mergeValue(buildMap(b), buildMap(o), s, p, t, true),
  'services.*.logging': mergeLogging,
  'services.*.ulimits.*': (b, o, s, p, t) => (isRecord(b) && isRecord(o) ? mergeValue(b, o, s, p, t, true) : o),
  'networks.*.labels': toSequence,
  'volumes.*.labels': toSequence,
});

function toList(base: unknown, over: unknown): unknown {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);
  return [...list(base), ...list(over)];
}

function mergeExtraHosts(base: unknown, over: unknown): unknown {
  const seq = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v;
    if (!isRecord(v)) return [];
    return Object.entries(v).flatMap(([host, ip]) => (Array.isArray(ip) ? ip.map((x) => `${host}=${String(x)}`) : [`${host}=${String(ip)}`]));
  };
  const out: unknown[] = [];
  for (const e of [...seq(base), ...seq(over)]) if (!out.includes(e)) out.push(e);
  return out;
}

function mergeLogging(base: unknown, over: unknown, seg: string[], path: string, tags: MergeTags): unknown {
  if (!isRecord(base) || !isRecord(over)) return over;
  if (base.driver === over.driver || !('driver' in over) || !('driver' in base)) return mergeValue(base, over, seg, path, tags, true);
  return over;
}

/** environment/labels in sequence form (`K=V`, `K` for null) so both syntaxes append. */
export function asSequence(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (!isRecord(v)) return v === null || v === undefined ? [] : [v];
  return Object.keys(v)
    .sort()
    .map((k) => (v[k] === null || v[k] === undefined ? k : `${k}=${scalarText(v[k])}`));
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function dependsOnMap(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return Object.fromEntries(v.map((name) => [String(name), { condition: 'service_started', required: true }]));
}

function networksMap(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return Object.fromEntries(v.map((name) => [String(name), null]));
}

function buildMap(v: unknown): unknown {
  return typeof v === 'string' ? { context: v } : v;
}

/**
 * Merges `over` onto `base` (returns a new value). `seg` are the pattern segments of the
 * current node (`services`, `web`, `ports`), `path` its display path for tag lookup.
 */
export function mergeValue(base: unknown, over: unknown, seg: string[], path: string, tags: MergeTags = NO_TAGS, skipSpecial = false): unknown {
  if (tags.overrides.has(path)) return strip(over, path, tags);
  if (base === undefined) return strip(over, path, tags);
  if (!skipSpecial) {
    const rule = lookup(specials, seg);
    if (rule) return rule(base, strip(over, path, tags), seg, path, tags);
  }
  if (isRecord(base) && isRecord(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const childPath = joinPath(path, k);
      if (tags.resets.has(childPath)) {
        delete out[k];
        continue;
      }
      out[k] = k.startsWith('x-') ? strip(v, childPath, tags) : mergeValue(base[k], v, [...seg, k], childPath, tags);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...(strip(over, path, tags) as unknown[])];
  return strip(over, path, tags);
}

/** Drops `!reset` keys from a value that has nothing to merge with. */
function strip(v: unknown, path: string, tags: MergeTags): unknown {
  if (tags.resets.size === 0) return v;
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = joinPath(path, k);
      if (!tags.resets.has(p)) out[k] = strip(x, p, tags);
    }
    return out;
  }
  if (Array.isArray(v)) return v.filter((_, i) => !tags.resets.has(joinPath(path, i))).map((x, i) => strip(x, joinPath(path, i), tags));
  return v;
}

/** Merges a whole file tree onto the accumulated model (null model = first file). */
export function mergeDocuments(base: Record<string, unknown> | undefined, over: Record<string, unknown>, tags: MergeTags): Record<string, unknown> {
  // as compose-go's ResetProcessor: `!reset` paths of the new file are removed from the model so far
  const cleaned = base && tags.resets.size > 0 ? (removePaths(base, '', tags.resets) as Record<string, unknown>) : base;
  const merged = mergeValue(cleaned ?? {}, over, [], '', tags);
  return merged as Record<string, unknown>;
}

function removePaths(v: unknown, path: string, paths: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.filter((_, i) => !paths.has(joinPath(path, i))).map((x, i) => removePaths(x, joinPath(path, i), paths));
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = joinPath(path, k);
    if (!paths.has(p)) out[k] = removePaths(x, p, paths);
  }
  return out;
}

// ---- unicity: after merging, keyed sequences keep one entry per key (the last wins,
// at the position of the first), as compose-go's EnforceUnicity.

type Indexer = (item: unknown) => string;

const keyValue: Indexer = (v) => (typeof v === 'string' ? (v.includes('=') ? v.slice(0, v.indexOf('=')) : v) : JSON.stringify(v));
const mount =
  (dflt: string): Indexer =>
  (v) => {
    if (typeof v === 'string') return `${dflt}/${v}`;
    if (isRecord(v)) return typeof v.target === 'string' && v.target !== '' ? v.target : `${dflt}/${String(v.source)}`;
    return JSON.stringify(v);
  };
const port: Indexer = (v) => {
  if (isRecord(v)) {
    return `${String(v.host_ip ?? '0.0.0.0')}:${String(v.published ?? '')}:${String(v.target)}/${String(v.protocol ?? 'tcp')}`;
  }
  return String(v);
};
const volume: Indexer = (v) => {
  if (isRecord(v)) return String(v.target);
  if (typeof v === 'string') {
    try {
      return splitVolumeSpec(v).target;
    } catch {
      return v; // malformed: normalization reports it with its position
    }
  }
  return JSON.stringify(v);
};
const device: Indexer = (v) => {
  if (isRecord(v)) return String(v.target ?? v.source);
  if (typeof v === 'string') {
    const parts = v.split(':');
    return parts[1] ?? parts[0]!;
  }
  return JSON.stringify(v);
};
const envFile: Indexer = (v) => (isRecord(v) ? String(v.path) : String(v));

const unique = compileTable<Indexer>({
  'services.*.annotations': keyValue,
  'services.*.build.args': keyValue,
  'services.*.build.additional_contexts': keyValue,
  'services.*.build.labels': keyValue,
  'services.*.build.tags': keyValue,
  'services.*.build.platforms': keyValue,
  'services.*.cap_add': keyValue,
  'services.*.cap_drop': keyValue,
  'services.*.configs': mount(''),
  'services.*.deploy.labels': keyValue,
  'services.*.devices': device,
  'services.*.dns': keyValue,
  'services.*.dns_opt': keyValue,
  'services.*.dns_search': keyValue,
  'services.*.environment': keyValue,
  'services.*.env_file': envFile,
  'services.*.expose': (v) => String(v),
  'services.*.labels': keyValue,
  'services.*.links': keyValue,
  'services.*.networks.*.aliases': keyValue,
  'services.*.networks.*.link_local_ips': keyValue,
  'services.*.ports': port,
  'services.*.profiles': keyValue,
  'services.*.secrets': mount('/run/secrets'),
  'services.*.sysctls': keyValue,
  'services.*.tmpfs': keyValue,
  'services.*.volumes': volume,
  'networks.*.labels': keyValue,
  'networks.*.ipam.config': (v) => (isRecord(v) ? String(v.subnet) : JSON.stringify(v)),
  'volumes.*.labels': keyValue,
});

export function enforceUnicity(v: unknown, seg: string[] = []): unknown {
  if (Array.isArray(v)) {
    const indexer = lookup(unique, seg);
    const items = v.map((x) => enforceUnicity(x, [...seg, '[]']));
    if (!indexer) return items;
    const out: unknown[] = [];
    const at = new Map<string, number>();
    for (const item of items) {
      const key = indexer(item);
      const j = at.get(key);
      if (j === undefined) {
        at.set(key, out.length);
        out.push(item);
      } else out[j] = item;
    }
    return out;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k.startsWith('x-') ? x : enforceUnicity(x, [...seg, k]);
    return out;
  }
  return v;
}
