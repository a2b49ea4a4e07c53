// `berth login` / `berth logout`: credentials checked against the registry's /v2/, then
// kept (mode 0600) in berth's auth file in docker's config.json format.
import { DEFAULT_REGISTRY } from '../reference.js';
import { RegistryClient } from './client.js';
import { mayCarryCredentials } from './config.js';
import { endpointsFor } from './endpoints.js';
import type { RegistryConfig } from '../types.js';
import { isObject, readJsonFile, writeJsonFile } from '../../util/json-file.js';
const { mkdirSync } = process.getBuiltinModule('node:fs');
const { dirname } = process.getBuiltinModule('node:path');

type AuthFile = { auths?: Record<string, { auth?: string }> } & Record<string, unknown>;

export function normalizeRegistryHost(s: string | undefined): string {
  if (!s) return DEFAULT_REGISTRY;
  const host = s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? DEFAULT_REGISTRY : host;
}

const fileKey = (host: string): string => (host === DEFAULT_REGISTRY ? 'https://index.docker.io/v1/' : host);

function readAuthFile(path: string): AuthFile {
  return readJsonFile(path, (v): v is AuthFile => isObject(v), 'image/config-invalid') ?? {};
}

function writeAuthFile(path: string, data: AuthFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeJsonFile(path, data, { mode: 0o600, indent: 2 });
}

/** Checks the credentials against the registry, then stores them in config.loginFile. */
export async function login(registry: string, username: string, password: string, config: RegistryConfig, signal?: AbortSignal): Promise<void> {
  const host = normalizeRegistryHost(registry);
  const endpoint = endpointsFor(config, host, true)[0]!;
  const client = new RegistryClient({
    endpoint: endpoint.url,
    registry: host,
    repository: '',
    credentials: { username, password },
    credentialsTo: (url) => mayCarryCredentials(config, url),
    actions: 'pull',
    ...(signal ? { signal } : {}),
  });
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
