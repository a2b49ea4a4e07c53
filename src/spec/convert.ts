/**
 * Value conversions shared by the normalizers: booleans, numbers, sizes, durations,
 * lists, KEY=VALUE lists/maps, commands (shell-split strings).
 */
import { isRecord } from './path.js';
import { shellSplit } from './shell-words.js';
import { parseBytes, parseDuration } from './units.js';

export type Fail = (path: string, message: string, code?: `spec/${string}`) => never;

export function toBool(v: unknown): boolean {
  if (typeof v === 'string') return ['y', 'yes', 'true', 'on', '1', 't'].includes(v.toLowerCase());
  return v === true;
}

export function toNumber(v: unknown, path: string, fail: Fail): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (Number.isNaN(n) || String(v).trim() === '') fail(path, `invalid number: ${JSON.stringify(v)}`);
  return n;
}

export function toBytes(v: unknown, path: string, fail: Fail): number {
  const n = parseBytes(typeof v === 'number' ? v : String(v));
  if (n === undefined) {
    if (typeof v === 'string' && /^-\d+$/.test(v.trim())) return Number(v);
    return fail(path, `invalid size: ${JSON.stringify(v)}`);
  }
  return n;
}

export function toDuration(v: unknown, path: string, fail: Fail): number {
  const d = typeof v === 'number' ? v * 1e9 : parseDuration(String(v));
  if (d === undefined) return fail(path, `invalid duration: ${JSON.stringify(v)}`);
  return d;
}

export function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : String(x)));
  if (v === null || v === undefined) return [];
  return [String(v)];
}

export function scalar(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/** list_or_dict -> map; `KEY` alone is null (environment) */
export function toEnvMap(v: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq === -1) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? null : scalar(x);
  }
  return out;
}

/** labels, sysctls, annotations: `KEY` alone is '' */
export function toStringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(toEnvMap(v)).map(([k, x]) => [k, x ?? '']));
}

export function toCommand(v: unknown, path: string, fail: Fail): string[] | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String);
  try {
    return shellSplit(String(v));
  } catch (err) {
    return fail(path, (err as Error).message);
  }
}
