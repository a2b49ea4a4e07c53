// The image config blob (OCI image config / docker image JSON): validated on the way in.
import { BerthError } from '../errors.js';
import { assertSha256 } from './digest.js';
import type { Digest, ImageConfig, Platform } from './types.js';

export interface ConfigBlob {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly author?: string;
  readonly config: ImageConfig;
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly Digest[] };
  readonly history?: readonly Record<string, unknown>[];
}

export function parseConfigBlob(what: string, data: Buffer): ConfigBlob {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new BerthError('image/invalid-config', `${what}: image config is not JSON`, { cause: err });
  }
  if (typeof json !== 'object' || json === null) throw new BerthError('image/invalid-config', `${what}: image config is not an object`);
  const o = json as Record<string, unknown>;
  const rootfs = o.rootfs as Record<string, unknown> | undefined;
  if (!rootfs || !Array.isArray(rootfs.diff_ids)) throw new BerthError('image/invalid-config', `${what}: image config has no rootfs.diff_ids`);
  const diffIds = rootfs.diff_ids.map((d, i) => assertSha256(`${what}: rootfs.diff_ids[${i}]`, d));
  const cfg = (typeof o.config === 'object' && o.config !== null ? o.config : {}) as ImageConfig;
  return {
    ...(o as object),
    architecture: typeof o.architecture === 'string' ? o.architecture : 'amd64',
    os: typeof o.os === 'string' ? o.os : 'linux',
    config: cfg,
    rootfs: { type: 'layers', diff_ids: diffIds },
  } as ConfigBlob;
}

export function platformOf(c: ConfigBlob): Platform {
  return c.variant ? { os: c.os, architecture: c.architecture, variant: c.variant } : { os: c.os, architecture: c.architecture };
}
