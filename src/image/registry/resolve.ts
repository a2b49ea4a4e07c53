// Resolves a reference to a single-platform manifest at the first endpoint that has it
// (docker.io: mirrors in order, then registry-1.docker.io). Every manifest is verified
// against the digest asked for and the registry's Docker-Content-Digest header.
import { BerthError } from '../../errors.js';
import { checkDigest, sha256Of } from '../digest.js';
import { MANIFEST_ACCEPT, formatPlatform, parseManifest, selectPlatform, type ParsedManifest } from '../manifest.js';
import { findCredentials } from './auth.js';
import { RegistryClient } from './client.js';
import type { GetResponse } from './http-get.js';
import { mayCarryCredentials } from './config.js';
import { endpointsFor, type Endpoint } from './endpoints.js';
import type { Digest, ImageReference, Platform, RegistryConfig } from '../types.js';

const MAX_MANIFEST = 4 << 20;

export interface FetchedManifest {
  readonly body: Buffer;
  readonly digest: Digest;
  readonly parsed: ParsedManifest;
}

export interface Resolved {
  readonly client: RegistryClient;
  /** The digest the reference resolved to (index digest for multi-platform images). */
  readonly repoDigest: Digest;
  /** The index, when the reference named one. */
  readonly index: FetchedManifest | undefined;
  readonly manifest: FetchedManifest & { parsed: Extract<ParsedManifest, { kind: 'manifest' }> };
}

export async function readLimited(res: Pick<GetResponse, 'body' | 'cancel'>, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of res.body) {
    n += c.length;
    if (n > limit) {
      await res.cancel();
      throw new BerthError('image/too-large', `${what} is larger than ${limit} bytes`);
    }
    parts.push(Buffer.from(c));
  }
  return Buffer.concat(parts);
}

export async function fetchManifest(client: RegistryClient, reference: string, what: string, expected?: Digest): Promise<FetchedManifest> {
  const res = await client.get(client.url(`manifests/${reference}`), { accept: MANIFEST_ACCEPT });
  if (!res.ok) await client.fail(res, `manifest ${what}`);
  const body = await readLimited(res, MAX_MANIFEST, `manifest ${what}`);
  const digest = sha256Of(body);
  if (expected) checkDigest(`manifest ${what}`, expected, digest);
  const header = res.headers.get('docker-content-digest');
  if (header && header.startsWith('sha256:')) checkDigest(`manifest ${what} (Docker-Content-Digest)`, header as Digest, digest);
  return { body, digest, parsed: parseManifest(`manifest ${what}`, body, res.headers.get('content-type')) };
}

/** A client for `endpoint`: a mirror gets its own host's credentials, never the registry's (Docker Hub's stay with Docker Hub). */
export function clientFor(config: RegistryConfig, ref: ImageReference, endpoint: Endpoint, actions: 'pull' | 'pull,push', signal?: AbortSignal): RegistryClient {
  return new RegistryClient({
    endpoint: endpoint.url,
    registry: ref.registry,
    repository: ref.repository,
    credentials: findCredentials(config, endpoint.mirror ? new URL(endpoint.url).host : ref.registry),
    credentialsTo: (url) => mayCarryCredentials(config, url),
    actions,
    ...(signal ? { signal } : {}),
  });
}

export async function resolveManifest(config: RegistryConfig, ref: ImageReference, platform: Platform, signal?: AbortSignal): Promise<Resolved> {
  const errors: unknown[] = [];
  const endpoints = endpointsFor(config, ref.registry);
  for (const ep of endpoints) {
    const client = clientFor(config, ref, ep, 'pull', signal);
    try {
      const top = await fetchManifest(client, ref.digest ?? ref.tag ?? 'latest', ref.familiar, ref.digest);
      if (top.parsed.kind === 'manifest') {
        return { client, repoDigest: top.digest, index: undefined, manifest: top as Resolved['manifest'] };
      }
      const entry = selectPlatform(`image ${ref.familiar}`, top.parsed.manifests, platform);
      const m = await fetchManifest(client, entry.digest, `${ref.familiar} (${formatPlatform(platform)})`, entry.digest);
      if (m.parsed.kind !== 'manifest') throw new BerthError('image/invalid-manifest', `image ${ref.familiar}: index entry for ${formatPlatform(platform)} is not a manifest`);
      return { client, repoDigest: top.digest, index: top, manifest: m as Resolved['manifest'] };
    } catch (err) {
      if (signal?.aborted) throw err;
      const code = err instanceof BerthError ? err.code : '';
      const retriable = ['image/not-found', 'image/registry-unreachable', 'image/registry-error', 'image/unauthorized'].includes(code);
      errors.push(err);
      if (!retriable || (!ep.mirror && ep === endpoints[endpoints.length - 1] && errors.length === 1)) throw err;
    }
  }
  // offline with mirrors: the mirror's "not found" says more than "docker.io unreachable"
  const last = errors[errors.length - 1];
  const notFound = errors.find((e) => e instanceof BerthError && e.code === 'image/not-found');
  if (last instanceof BerthError && last.code === 'image/registry-unreachable' && notFound) throw notFound;
  throw last ?? new BerthError('image/not-found', `image ${ref.familiar} not found`);
}
