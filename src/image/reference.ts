// Image references, parsed and normalized exactly as Docker's distribution/reference does:
// `redis` -> docker.io/library/redis:latest, `localhost:5000/app`, `ghcr.io/o/a:1@sha256:...`.
import { BerthError } from '../errors.js';
import type { Digest, ImageReference } from './types.js';

export const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_REGISTRIES = new Set(['index.docker.io', 'registry-1.docker.io']);

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

export function isDigest(s: string): s is Digest {
  return SHA256.test(s);
}

function invalid(input: string, why: string): BerthError {
  return new BerthError('image/invalid-reference', `invalid image reference "${input}": ${why}`, {
    hint: 'use NAME[:TAG][@DIGEST], e.g. redis:7 or ghcr.io/org/app@sha256:...',
  });
}

/** Parses and normalizes an image reference. Throws `image/invalid-reference`. */
export function parseReference(input: string): ImageReference {
  if (input === '' || input.length > 4096) throw invalid(input, 'empty or too long');
  if (/\s/.test(input)) throw invalid(input, 'contains whitespace');
  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const d = rest.slice(at + 1);
    if (!DIGEST.test(d)) throw invalid(input, `malformed digest "${d}"`);
    if (d.startsWith('sha256:') && !SHA256.test(d)) throw invalid(input, `malformed sha256 digest "${d}"`);
    digest = d as Digest;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, `invalid tag "${tag}"`);
  }
  let registry = DEFAULT_REGISTRY;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[') || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw invalid(input, `invalid registry "${first}"`);
      registry = first;
      path = rest.slice(slash + 1);
    }
  }
  if (LEGACY_REGISTRIES.has(registry)) registry = DEFAULT_REGISTRY;
  if (path === '') throw invalid(input, 'missing repository name');
  if (path !== path.toLowerCase()) throw invalid(input, 'repository name must be lowercase');
  for (const part of path.split('/')) {
    if (!PATH_COMPONENT.test(part)) throw invalid(input, `invalid repository name component "${part}"`);
  }
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = `library/${path}`;
  if (registry.length + 1 + path.length > 255) throw invalid(input, 'repository name longer than 255 characters');
  if (tag === undefined && digest === undefined) tag = 'latest';
  return makeReference(registry, path, tag, digest);
}

export function makeReference(registry: string, repository: string, tag: string | undefined, digest: Digest | undefined): ImageReference {
  const name = `${registry}/${repository}`;
  const suffix = `${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return {
    registry,
    repository,
    tag,
    digest,
    canonical: `${name}${suffix}`,
    familiar: `${familiarName(registry, repository)}${suffix}`,
  };
}

/** `docker.io/library/redis` -> `redis`, `docker.io/org/x` -> `org/x`, others unchanged. */
export function familiarName(registry: string, repository: string): string {
  if (registry !== DEFAULT_REGISTRY) return `${registry}/${repository}`;
  return repository.startsWith('library/') && repository.split('/').length === 2 ? repository.slice(8) : repository;
}

/** `registry/repository` without tag or digest. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The canonical name with only the tag (the key of the tag index), or undefined for a digest-only ref. */
export function taggedName(ref: ImageReference): string | undefined {
  return ref.tag === undefined ? undefined : `${ref.registry}/${ref.repository}:${ref.tag}`;
}

/** `name@digest` for RepoDigests. */
export function digestedName(ref: ImageReference, digest: Digest): string {
  return `${ref.registry}/${ref.repository}@${digest}`;
}

/** A familiar display form of a canonical `registry/repo:tag` string. */
export function familiarString(canonical: string): string {
  try {
    return parseReference(canonical).familiar;
  } catch {
    return canonical;
  }
}
