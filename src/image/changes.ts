// `--change` instructions (docker commit/import): a Dockerfile subset -> ConfigChanges,
// and applying ConfigChanges to an image config.
import { BerthError } from '../errors.js';
import type { ConfigChanges, ImageConfig } from './types.js';

function words(rest: string): string[] {
  const t = rest.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // shell form below
    }
  }
  return ['/bin/sh', '-c', t];
}

function pairs(rest: string): [string, string][] {
  const t = rest.trim();
  if (!t.includes('=')) {
    const sp = t.search(/\s/);
    return sp === -1 ? [[t, '']] : [[t.slice(0, sp), t.slice(sp + 1).trim()]];
  }
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) out.push([m[1]!, m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!]);
  return out;
}

export function parseChanges(lines: readonly string[]): ConfigChanges {
  const c: { -readonly [K in keyof ConfigChanges]: ConfigChanges[K] } = {};
  for (const line of lines) {
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new BerthError('image/invalid-change', `invalid --change "${line}"`);
    const rest = m[2]!;
    switch (m[1]!.toUpperCase()) {
      case 'CMD':
        c.Cmd = words(rest);
        break;
      case 'ENTRYPOINT':
        c.Entrypoint = words(rest);
        break;
      case 'ENV':
        c.Env = [...(c.Env ?? []), ...pairs(rest).map(([k, v]) => `${k}=${v}`)];
        break;
      case 'WORKDIR':
        c.WorkingDir = rest.trim();
        break;
      case 'USER':
        c.User = rest.trim();
        break;
      case 'STOPSIGNAL':
        c.StopSignal = rest.trim();
        break;
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs(rest)) };
        break;
      case 'EXPOSE':
        c.ExposedPorts = {
          ...(c.ExposedPorts ?? {}),
          ...Object.fromEntries(
            rest
              .trim()
              .split(/\s+/)
              .map((p) => [p.includes('/') ? p : `${p}/tcp`, {}]),
          ),
        };
        break;
      case 'VOLUME': {
        const t = rest.trim();
        const vols = t.startsWith('[') ? (JSON.parse(t) as string[]) : t.split(/\s+/);
        c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) };
        break;
      }
      default:
        throw new BerthError('image/invalid-change', `unsupported --change instruction "${m[1]}"`, { hint: 'supported: CMD ENTRYPOINT ENV EXPOSE LABEL STOPSIGNAL USER VOLUME WORKDIR' });
    }
  }
  return c;
}

/** Applies changes over a base config (Env merges by key, maps merge, the rest replaces). */
export function applyChanges(base: ImageConfig, c: ConfigChanges | undefined): ImageConfig {
  if (!c) return base;
  const env = [...(base.Env ?? [])];
  for (const e of c.Env ?? []) {
    const k = e.split('=')[0];
    const i = env.findIndex((x) => x.split('=')[0] === k);
    if (i === -1) env.push(e);
    else env[i] = e;
  }
  return {
    ...base,
    ...(c.Env ? { Env: env } : {}),
    ...(c.Cmd ? { Cmd: c.Cmd } : {}),
    ...(c.Entrypoint ? { Entrypoint: c.Entrypoint, ...(c.Cmd ? {} : { Cmd: undefined as never }) } : {}),
    ...(c.WorkingDir !== undefined ? { WorkingDir: c.WorkingDir } : {}),
    ...(c.User !== undefined ? { User: c.User } : {}),
    ...(c.StopSignal !== undefined ? { StopSignal: c.StopSignal } : {}),
    ...(c.Labels ? { Labels: { ...(base.Labels ?? {}), ...c.Labels } } : {}),
    ...(c.ExposedPorts ? { ExposedPorts: { ...(base.ExposedPorts ?? {}), ...c.ExposedPorts } } : {}),
    ...(c.Volumes ? { Volumes: { ...(base.Volumes ?? {}), ...c.Volumes } } : {}),
  };
}
