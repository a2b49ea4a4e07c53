// Registry settings: mirrors for docker.io and insecure (plain HTTP) registries, from
// BERTH_REGISTRY_MIRRORS / BERTH_INSECURE_REGISTRIES (comma separated) and berth's config
// file ($BERTH_CONFIG_DIR/config.json or ~/.config/berth/config.json, daemon.json keys
// `registry-mirrors` and `insecure-registries`).
import { BerthError, errnoCode } from '../../errors.js';
import type { RegistryConfig } from '../types.js';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { homedir } = process.getBuiltinModule('node:os');
const { join } = process.getBuiltinModule('node:path');

type Env = Readonly<Record<string, string | undefined>>;

export function berthConfigDir(env: Env = process.env): string {
  return env.BERTH_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'berth');
}

export function loadRegistryConfig(env: Env = process.env): RegistryConfig {
  const dir = berthConfigDir(env);
  const file = join(dir, 'config.json');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') {
      throw new BerthError('image/config-invalid', `cannot read berth config ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const split = (v: string | undefined): string[] =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const dockerConfig = join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'), 'config.json');
  const loginFile = join(dir, 'auth.json');
  return {
    mirrors: [...split(env.BERTH_REGISTRY_MIRRORS), ...list(json['registry-mirrors'])].map((m) => m.replace(/\/+$/, '')),
    insecure: [...split(env.BERTH_INSECURE_REGISTRIES), ...list(json['insecure-registries'])],
    authFiles: [loginFile, dockerConfig],
    loginFile,
  };
}

/** localhost and loopback registries are reached over plain HTTP, as docker does. */
export function isInsecure(config: RegistryConfig, host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  if (name === 'localhost' || name === '127.0.0.1' || name === '[::1]' || name.startsWith('127.')) return true;
  return config.insecure.some((h) => h.replace(/^https?:\/\//, '').replace(/\/+$/, '') === host || h === name);
}

/**
 * May credentials go to `url`? Over https always; over plain HTTP only to a loopback
 * registry (the traffic never leaves the machine: test registries) or a host named in
 * BERTH_INSECURE_REGISTRIES / `insecure-registries` (an explicit choice).
 */
export function mayCarryCredentials(config: RegistryConfig, url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'https:' || isInsecure(config, u.host);
}
