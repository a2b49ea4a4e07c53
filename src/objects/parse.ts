// Flag values of `berth container ...` -> runtime config values.
import { UsageError } from '../errors.js';
import type { MountConfig, Ulimit } from '../runtime/index.js';
const { resolve } = process.getBuiltinModule('node:path');

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's RAMInBytes: 512m, 1g, 1024 (bytes). */
export function parseBytes(flag: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(raw.trim());
  if (!m) throw new UsageError(`invalid value "${raw}" for --${flag}: expected a size like 512m or 1g`);
  return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** --cpus 0.5 -> quota/period. */
export function parseCpus(raw: string): { cpuQuota: number; cpuPeriod: number } {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`invalid value "${raw}" for --cpus: expected a positive number`);
  return { cpuQuota: Math.round(n * 100000), cpuPeriod: 100000 };
}

/** -v HOST:CTR[:ro|rw] (binds only; HOST must be absolute or ./relative). */
export function parseVolume(raw: string, cwd: string): MountConfig {
  const parts = raw.split(':');
  const [src, dst, mode] = parts;
  if (parts.length < 2 || parts.length > 3 || !src || !dst) throw new UsageError(`invalid volume "${raw}": expected HOST:CONTAINER[:ro]`);
  if (!dst.startsWith('/')) throw new UsageError(`invalid volume "${raw}": the container path must be absolute`);
  if (!src.startsWith('/') && !src.startsWith('.')) throw new UsageError(`invalid volume "${raw}": named volumes need a compose project; use an absolute host path`);
  const opts = (mode ?? '').split(',').filter(Boolean);
  for (const o of opts) if (!['ro', 'rw', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'].includes(o)) throw new UsageError(`invalid volume "${raw}": unknown option ${o}`);
  const propagation = opts.find((o) => o.includes('private') || o.includes('shared') || o.includes('slave')) as 'rprivate' | undefined;
  return { type: 'bind', source: resolve(cwd, src), target: dst, readOnly: opts.includes('ro'), ...(propagation ? { propagation } : {}) };
}

/** --tmpfs /path[:size=64m,mode=1777] */
export function parseTmpfs(raw: string): MountConfig {
  const [target = '', opts = ''] = raw.split(':');
  if (!target.startsWith('/')) throw new UsageError(`invalid --tmpfs "${raw}": the path must be absolute`);
  let sizeBytes: number | undefined;
  let mode: number | undefined;
  for (const o of opts.split(',').filter(Boolean)) {
    const [k, v = ''] = o.split('=');
    if (k === 'size') sizeBytes = parseBytes('tmpfs', v);
    else if (k === 'mode') mode = parseInt(v, 8);
  }
  return { type: 'tmpfs', target, ...(sizeBytes ? { sizeBytes } : {}), ...(mode !== undefined ? { mode } : {}) };
}

/** --ulimit nofile=1024[:2048] */
export function parseUlimit(raw: string): Ulimit {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(raw);
  if (!m) throw new UsageError(`invalid --ulimit "${raw}": expected NAME=SOFT[:HARD]`);
  const soft = Number(m[2]);
  return { name: m[1]!, soft, hard: m[3] !== undefined ? Number(m[3]) : soft };
}

export function parseKeyValues(flag: string, list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`invalid --${flag} "${kv}": expected KEY=VALUE`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
