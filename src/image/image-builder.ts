// Making images locally (import, commit, load of layer tars, test fixtures): a layer tar
// stream becomes a compressed blob + an unpacked layer; layers + config become a config
// blob, an OCI manifest, an image record and optionally a tag.
import { storeLayer } from './fetch-layer.js';
import { HashingStream } from './digest.js';
import { toLocalImage } from './list.js';
import { MT, hostPlatform } from './manifest.js';
import { parseReference, taggedName } from './reference.js';
import { blobPath, hasBlob, layerRoot, readImageRecord, readTags, tmpName, withStoreLock, writeBlob, writeImageRecord, writeTags, type ImageStore, type LayerDescriptor } from './store.js';
import type { Digest, ImageConfig, LocalImage, Platform } from './types.js';
const { createReadStream, createWriteStream } = process.getBuiltinModule('node:fs');
const { rename, rm } = process.getBuiltinModule('node:fs/promises');
const { Readable } = process.getBuiltinModule('node:stream');
const { pipeline } = process.getBuiltinModule('node:stream/promises');
const { readFile } = process.getBuiltinModule('node:fs/promises');
const zlib = process.getBuiltinModule('node:zlib');
const { join } = process.getBuiltinModule('node:path');

export interface BuiltLayer {
  readonly desc: LayerDescriptor;
  readonly diffId: Digest;
}

/** Compresses an uncompressed tar stream into a blob, then unpacks it (verifying both digests). */
export async function addLayer(s: ImageStore, tar: AsyncIterable<Buffer>, what: string, compression: 'gzip' | 'zstd' | 'none' = 'gzip'): Promise<BuiltLayer> {
  const tmp = tmpName(s, 'newblob');
  const raw = new HashingStream();
  const packed = new HashingStream();
  try {
    const compressor =
      compression === 'gzip'
        ? zlib.createGzip({ level: 6 })
        : compression === 'zstd'
          ? (zlib as unknown as { createZstdCompress: () => NodeJS.ReadWriteStream }).createZstdCompress()
          : new HashingStream();
    await pipeline(Readable.from(tar), raw, compressor, packed, createWriteStream(tmp));
    const digest = packed.digest();
    if (!hasBlob(s, digest)) await rename(tmp, blobPath(s, digest));
    const mediaType = compression === 'gzip' ? MT.ociLayerGzip : compression === 'zstd' ? MT.ociLayerZstd : MT.ociLayer;
    const desc: LayerDescriptor = { mediaType, digest, size: packed.bytes };
    const diffId = raw.digest();
    await storeLayer(s, desc, diffId, { chunks: createReadStream(blobPath(s, digest)) }, { what });
    return { desc, diffId };
  } finally {
    await rm(tmp, { force: true });
  }
}

export interface NewImage {
  readonly layers: readonly BuiltLayer[];
  readonly config: ImageConfig;
  readonly platform?: Platform;
  readonly created?: string;
  readonly author?: string;
  readonly history?: readonly Record<string, unknown>[];
  /** Tag to point at the new image. */
  readonly ref?: string;
  /** Extra keys of the config blob (kept from a parent image, e.g. `container_config`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Writes config + OCI manifest + record (+ tag); returns the image. */
export async function writeImage(s: ImageStore, img: NewImage): Promise<LocalImage> {
  const platform = img.platform ?? hostPlatform();
  const created = img.created ?? new Date().toISOString();
  const configBlob = {
    ...(img.extra ?? {}),
    created,
    ...(img.author ? { author: img.author } : {}),
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: img.config,
    rootfs: { type: 'layers', diff_ids: img.layers.map((l) => l.diffId) },
    history: img.history ?? img.layers.map(() => ({ created, created_by: 'berth' })),
  };
  return registerImage(s, {
    configData: Buffer.from(JSON.stringify(configBlob)),
    layers: img.layers,
    platform,
    created,
    refs: img.ref ? [img.ref] : [],
  });
}

export interface RegisterImage {
  /** The config blob, verbatim (its digest is the image id). */
  readonly configData: Buffer;
  readonly layers: readonly BuiltLayer[];
  readonly platform: Platform;
  readonly created: string | undefined;
  readonly refs: readonly string[];
  /** A manifest to keep (must describe these blobs); one is generated when absent. */
  readonly manifest?: Buffer;
}

/** Records an image whose layers are already stored: config + manifest blobs, record, tags. */
export async function registerImage(s: ImageStore, img: RegisterImage): Promise<LocalImage> {
  const id = await writeBlob(s, img.configData);
  const manifest =
    img.manifest ??
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        config: { mediaType: MT.ociConfig, digest: id, size: img.configData.length },
        layers: img.layers.map((l) => l.desc),
      }),
    );
  const manifestDigest = await writeBlob(s, manifest);
  let size = 0;
  for (const l of img.layers) size += Number(await readFile(join(layerRoot(s, l.diffId), 'size'), 'utf8').catch(() => '0'));
  const refs = img.refs.map((r) => parseReference(r));
  await withStoreLock(s, async () => {
    const prev = await readImageRecord(s, id);
    await writeImageRecord(s, {
      id,
      manifest: manifestDigest,
      layers: img.layers.map((l) => l.desc),
      diffIds: img.layers.map((l) => l.diffId),
      platform: img.platform,
      created: img.created,
      repoDigests: prev?.repoDigests ?? [],
      size,
    });
    const tags = readTags(s);
    for (const ref of refs) {
      const key = taggedName(ref);
      if (key) tags[key] = id;
    }
    if (refs.length) writeTags(s, tags);
  });
  return toLocalImage(s, (await readImageRecord(s, id))!, refs[0]);
}
