// Registry credentials and auth challenges: ~/.docker/config.json `auths` (base64 `auth`
// or username/password), berth's own login file, and `WWW-Authenticate` parsing.
import { errnoCode } from '../../errors.js';
import type { RegistryConfig } from '../types.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `Bearer realm="https://auth",service="x",scope="repository:a:pull"` (and several challenges). */
export function parseChallenges(header: string | null): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  const re = /\s*([A-Za-z][\w-]*)(?:\s+|$)((?:[\w-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null && m[0] !== '') {
    const params: Record<string, string> = {};
    const pre = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
    let p: RegExpExecArray | null;
    while ((p = pre.exec(m[2] ?? '')) !== null) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
    out.push({ scheme: m[1]!.toLowerCase(), params });
    if (re.lastIndex >= header.length) break;
  }
  return out;
}

/** The keys docker uses for a registry host in config.json. */
function authKeys(host: string): string[] {
  if (host === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'];
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** Credentials for a registry host from berth's login file, then docker's config.json. */
export function findCredentials(config: RegistryConfig, host: string): Credentials | undefined {
  for (const file of config.authFiles) {
    let json: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT' || err instanceof SyntaxError) continue;
      throw err;
    }
    for (const key of authKeys(host)) {
      const entry = json.auths?.[key];
      if (!entry) continue;
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
      if (entry.username && entry.password) return { username: entry.username, password: entry.password };
    }
  }
  return undefined;
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
