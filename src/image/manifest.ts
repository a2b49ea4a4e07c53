// Manifests and indexes (Docker v2 schema 2, OCI): validated parsing and platform choice.
import { BerthError } from '../errors.js';
import { assertSha256 } from './digest.js';
import type { LayerDescriptor } from './store.js';
import type { Digest, Platform } from './types.js';
const { arch } = process.getBuiltinModule('node:process');

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const MANIFEST_ACCEPT = [MT.ociIndex, MT.dockerList, MT.ociManifest, MT.dockerManifest].join(', ');

export interface IndexEntry {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly size: number;
  readonly platform: Platform | undefined;
}

export type ParsedManifest =
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifests: readonly IndexEntry[] }
  | { readonly kind: 'manifest'; readonly mediaType: string; readonly config: LayerDescriptor; readonly layers: readonly LayerDescriptor[] };

function descriptor(what: string, d: unknown): LayerDescriptor {
  if (typeof d !== 'object' || d === null) throw new BerthError('image/invalid-manifest', `${what}: descriptor is not an object`);
  const o = d as Record<string, unknown>;
  const size = typeof o.size === 'number' && Number.isSafeInteger(o.size) && o.size >= 0 ? o.size : -1;
  return { mediaType: typeof o.mediaType === 'string' ? o.mediaType : '', digest: assertSha256(what, o.digest), size };
}

export function parseManifest(what: string, body: Buffer, headerType: string | null): ParsedManifest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new BerthError('image/invalid-manifest', `${what}: manifest is not JSON`, { cause: err });
  }
  if (typeof json !== 'object' || json === null) throw new BerthError('image/invalid-manifest', `${what}: manifest is not an object`);
  const mediaType = (typeof json.mediaType === 'string' ? json.mediaType : headerType?.split(';')[0]?.trim()) ?? '';
  if (json.schemaVersion === 1) {
    throw new BerthError('image/unsupported', `${what}: Docker schema 1 manifests are not supported`, { hint: 'push the image again with a current docker or berth' });
  }
  if (Array.isArray(json.manifests) || mediaType === MT.ociIndex || mediaType === MT.dockerList) {
    const list = Array.isArray(json.manifests) ? json.manifests : [];
    const manifests = list.map((m, i) => {
      const d = descriptor(`${what}: manifests[${i}]`, m);
      const p = (m as { platform?: Record<string, unknown> }).platform;
      const platform =
        p && typeof p.os === 'string' && typeof p.architecture === 'string' ? { os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' ? { variant: p.variant } : {}) } : undefined;
      return { ...d, platform };
    });
    return { kind: 'index', mediaType: mediaType || MT.ociIndex, manifests };
  }
  if (!Array.isArray(json.layers) || json.config === undefined) throw new BerthError('image/invalid-manifest', `${what}: manifest has no config or layers`);
  return {
    kind: 'manifest',
    mediaType: mediaType || MT.ociManifest,
    config: descriptor(`${what}: config`, json.config),
    layers: json.layers.map((l, i) => descriptor(`${what}: layers[${i}]`, l)),
  };
}

/** The platform of this machine, in OCI terms. */
export function hostPlatform(): Platform {
  const map: Record<string, Platform> = {
    x64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    ia32: { os: 'linux', architecture: '386' },
    ppc64: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
    riscv64: { os: 'linux', architecture: 'riscv64' },
  };
  return map[arch] ?? { os: 'linux', architecture: arch };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function parsePlatform(s: string): Platform {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw new BerthError('image/invalid-platform', `invalid platform "${s}": expected os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Picks the index entry for `want`: exact variant first, then a missing variant (arm64 = arm64/v8). */
export function selectPlatform(what: string, entries: readonly IndexEntry[], want: Platform): IndexEntry {
  const candidates = entries.filter((e) => e.platform && e.platform.os === want.os && e.platform.architecture === want.architecture);
  const exact = candidates.find((e) => (e.platform!.variant ?? '') === (want.variant ?? ''));
  const loose = candidates.find((e) => !e.platform!.variant || !want.variant);
  const chosen = exact ?? loose;
  if (!chosen) {
    const have = entries
      .map((e) => (e.platform ? formatPlatform(e.platform) : 'unknown'))
      .filter((p) => p !== 'unknown/unknown')
      .sort();
    throw new BerthError('image/no-matching-platform', `${what}: no image for platform ${formatPlatform(want)} (available: ${have.join(', ') || 'none'})`);
  }
  return chosen;
}
