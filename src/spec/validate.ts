/**
 * Stage "validate": checks the merged model against `rules.ts` and reports the first
 * problem with its tree path (`services.web.ports[0]`) and what was expected.
 */
import { isRecord, joinPath } from './path.js';
import { composeRule, type Prim, type Rule } from './rules.js';

export interface Problem {
  /** Path of the offending value (or of the mapping for a missing key). */
  readonly path: string;
  /** Path whose source position is the best pointer (an unknown key's own path). */
  readonly at: string;
  readonly message: string;
}

/**
 * `raw`: the file as written, before interpolation. A string with a `$` in it is taken at
 * face value there (its substituted value is checked on the merged model), as compose-go
 * validates only after interpolation.
 */
export function validateModel(model: unknown, options: { raw?: boolean; onDeferred?: () => void } = {}): Problem | undefined {
  return check(model, composeRule, '', options.raw === true ? (options.onDeferred ?? (() => {})) : undefined);
}

function typeOf(v: unknown): Prim {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

function fits(v: unknown, types: readonly Prim[]): boolean {
  const t = typeOf(v);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

const TYPE_WORDS: Record<Prim, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
  object: 'a mapping',
  array: 'a list',
};

function describeTypes(types: readonly Prim[]): string {
  return types.map((t) => TYPE_WORDS[t]).join(' or ');
}

function shown(v: unknown): string {
  const t = typeOf(v);
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  if (t === 'null') return 'null';
  return JSON.stringify(v);
}

/** The primitive types a rule accepts at its top level (for picking a oneOf branch). */
const topCache = new WeakMap<Rule, Prim[]>();

function topTypes(rule: Rule): Prim[] {
  let cached = topCache.get(rule);
  if (!cached) topCache.set(rule, (cached = computeTopTypes(rule)));
  return cached;
}

function computeTopTypes(rule: Rule): Prim[] {
  switch (rule.kind) {
    case 'any':
      return ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];
    case 'prim':
      return [...rule.types, ...(rule.types.includes('number') ? (['integer'] as Prim[]) : [])];
    case 'array':
      return ['array'];
    case 'object':
      return rule.nullable ? ['object', 'null'] : ['object'];
    case 'oneOf':
      return rule.of.flatMap(topTypes);
  }
}

function check(v: unknown, rule: Rule, path: string, raw: (() => void) | undefined): Problem | undefined {
  switch (rule.kind) {
    case 'any':
      return undefined;
    case 'prim': {
      if (raw && typeof v === 'string' && v.includes('$')) {
        raw();
        return undefined;
      }
      if (!fits(v, rule.types)) return { path, at: path, message: `must be ${describeTypes(rule.types)}, got ${shown(v)}` };
      if (rule.enum && !rule.enum.includes(v)) {
        return { path, at: path, message: `must be one of ${rule.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${shown(v)}` };
      }
      if (rule.pattern && typeof v === 'string' && !rule.pattern.test(v)) {
        return { path, at: path, message: `${JSON.stringify(v)} does not match the pattern ${rule.pattern.source}` };
      }
      if (typeof v === 'number' && ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max))) {
        return { path, at: path, message: `must be between ${rule.min ?? '-inf'} and ${rule.max ?? 'inf'}, got ${v}` };
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(v)) return { path, at: path, message: `must be a list, got ${shown(v)}` };
      for (let i = 0; i < v.length; i++) {
        const problem = check(v[i], rule.items, joinPath(path, i), raw);
        if (problem) return problem;
      }
      if (rule.unique) {
        const seen = new Map<string, number>();
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          const key = typeof item === 'object' && item !== null ? JSON.stringify(item) : `${typeof item}:${String(item)}`;
          const first = seen.get(key);
          if (first !== undefined) {
            return { path, at: joinPath(path, i), message: `items [${first}] and [${i}] must be unique, both are ${shown(v[i])}` };
          }
          seen.set(key, i);
        }
      }
      return undefined;
    }
    case 'object': {
      if ((v === null || v === undefined) && rule.nullable) return undefined;
      if (!isRecord(v)) return { path, at: path, message: `must be a mapping, got ${shown(v)}` };
      for (const [k, x] of Object.entries(v)) {
        const childPath = joinPath(path, k);
        const prop = Object.hasOwn(rule.props, k) ? rule.props[k] : undefined;
        if (prop) {
          const problem = check(x, prop, childPath, raw);
          if (problem) return problem;
          continue;
        }
        const pattern = rule.keys?.find(([re]) => re.test(k));
        if (pattern) {
          const problem = check(x, pattern[1], childPath, raw);
          if (problem) return problem;
          continue;
        }
        if (rule.ext !== false && k.startsWith('x-')) continue;
        const where = path === '' ? 'the top level' : path;
        return { path, at: childPath, message: `additional property "${k}" is not allowed in ${where}` };
      }
      for (const k of rule.required ?? []) {
        if (!(k in v)) return { path, at: path, message: `missing required property "${k}"` };
      }
      return undefined;
    }
    case 'oneOf': {
      const t = typeOf(v);
      const branches = rule.of.filter((r) => topTypes(r).includes(t));
      if (branches.length === 0) return { path, at: path, message: `must be ${rule.label}, got ${shown(v)}` };
      let first: Problem | undefined;
      for (const b of branches) {
        const problem = check(v, b, path, raw);
        if (!problem) return undefined;
        first ??= problem;
      }
      return first;
    }
  }
}
