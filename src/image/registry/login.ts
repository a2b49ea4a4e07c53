// `berth login` / `berth logout`: credentials checked against the registry's /v2/, then
// kept (mode 0600) in berth's auth file in docker's config.json format.
import { BerthError, errnoCode } from '../../errors.js';
import { DEFAULT_REGISTRY } from '../reference.js';
import { RegistryClient } from './client.js';
import { mayCarryCredentials } from './config.js';
import { endpointsFor } from './endpoints.js';
import type { RegistryConfig } from '../types.js';
const { mkdirSync, readFileSync, writeFileSync, renameSync } = process.getBuiltinModule('node:fs');
const { dirname } = process.getBuiltinModule('node:path');

type AuthFile = { auths?: Record<string, { auth?: string }> } & Record<string, unknown>;

export function normalizeRegistryHost(s: string | undefined): string {
  if (!s) return DEFAULT_REGISTRY;
  const host = s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? DEFAULT_REGISTRY : host;
}

const fileKey = (host: string): string => (host === DEFAULT_REGISTRY ? 'https://index.docker.io/v1/' : host);

function readAuthFile(path: string): AuthFile {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as AuthFile;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return {};
    throw new BerthError('image/config-invalid', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function writeAuthFile(path: string, data: AuthFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Checks the credentials against the registry, then stores them in config.loginFile. */
export async function login(registry: string, username: string, password: string, config: RegistryConfig, signal?: AbortSignal): Promise<void> {
  const host = normalizeRegistryHost(registry);
  const endpoint = endpointsFor(config, host, true)[0]!;
  const client = new RegistryClient({ endpoint: endpoint.url, registry: host, repository: '', credentials: { username, password }, credentialsTo: (url) => mayCarryCredentials(config, url), actions: 'pull', ...(signal ? { signal } : {}) });
  const res = await client.fetch(`${endpoint.url}/v2/`);
  await res.body?.cancel();
  if (!res.ok) await client.fail(res, 'login');
  const data = readAuthFile(config.loginFile);
  data.auths = { ...(data.auths ?? {}), [fileKey(host)]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } };
  writeAuthFile(config.loginFile, data);
}

/** Removes stored credentials for the registry; false when there were none. */
export async function logout(registry: string, config: RegistryConfig): Promise<boolean> {
  const host = normalizeRegistryHost(registry);
  const data = readAuthFile(config.loginFile);
  if (!data.auths?.[fileKey(host)]) return false;
  delete data.auths[fileKey(host)];
  writeAuthFile(config.loginFile, data);
  return true;
}
