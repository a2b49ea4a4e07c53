// Reading the store: list images, resolve a name or id, inspect.
import { BerthError } from '../errors.js';
import { familiarString, parseReference, taggedName, isDigest } from './reference.js';
import { layerDiffDir, listImageRecords, readBlob, readImageRecord, readTags, type ImageRecord, type ImageStore } from './store.js';
import { parseConfigBlob, platformOf } from './image-config.js';
import type { Digest, ImageReference, LocalImage } from './types.js';
import { compareText } from '../util/compare.js';
import { notInLocalStore } from './errors.js';

/** Every image in the store, newest first. */
export async function listImages(s: ImageStore): Promise<LocalImage[]> {
  const tags = readTags(s);
  const out: LocalImage[] = [];
  for (const rec of await listImageRecords(s)) out.push(await toLocalImage(s, rec, undefined, tags));
  return out.sort((a, b) => compareText(b.created ?? '', a.created ?? '') || compareText(a.id, b.id));
}

/** Resolves a reference, a full or short image id (>= 4 hex chars) to a stored image, or undefined. */
export async function findLocalImage(s: ImageStore, nameOrId: string): Promise<{ record: ImageRecord; ref: ImageReference | undefined } | undefined> {
  const tags = readTags(s);
  const idLike = nameOrId.replace(/^sha256:/, '');
  if (/^[a-f0-9]{4,64}$/.test(idLike)) {
    const matches = (await listImageRecords(s)).filter((r) => r.id.slice(7).startsWith(idLike));
    if (matches.length === 1) return { record: matches[0]!, ref: undefined };
    if (matches.length > 1 && idLike.length < 64) {
      throw new BerthError('image/ambiguous', `image id prefix "${nameOrId}" matches ${matches.length} images`, { hint: 'use more characters of the id' });
    }
    if (nameOrId.startsWith('sha256:')) return undefined;
  }
  let ref: ImageReference;
  try {
    ref = parseReference(nameOrId);
  } catch (err) {
    if (/^[a-f0-9]{4,64}$/.test(idLike)) return undefined;
    throw err;
  }
  let id: Digest | undefined;
  if (ref.digest) {
    for (const rec of await listImageRecords(s)) {
      if (rec.repoDigests.includes(`${ref.registry}/${ref.repository}@${ref.digest}`) || rec.manifest === ref.digest) {
        id = rec.id;
        break;
      }
    }
  } else {
    const key = taggedName(ref);
    id = key ? tags[key] : undefined;
  }
  if (!id) return undefined;
  const record = await readImageRecord(s, id);
  return record ? { record, ref } : undefined;
}

/** Like findLocalImage, but a missing image is an `image/not-found` error. */
export async function resolveLocalImage(s: ImageStore, nameOrId: string): Promise<LocalImage> {
  const found = await findLocalImage(s, nameOrId);
  if (!found) throw notInLocalStore(nameOrId, `run 'berth image pull ${nameOrId}'`);
  return toLocalImage(s, found.record, found.ref);
}

export interface ImageInspect extends LocalImage {
  readonly raw: Record<string, unknown>;
}

/** `docker image inspect`: the LocalImage view plus the full config blob. */
export async function inspectImage(s: ImageStore, nameOrId: string): Promise<ImageInspect> {
  const img = await resolveLocalImage(s, nameOrId);
  const raw = JSON.parse((await readBlob(s, img.id)).toString('utf8')) as Record<string, unknown>;
  return { ...img, raw };
}

export async function toLocalImage(s: ImageStore, rec: ImageRecord, ref: ImageReference | undefined, tags = readTags(s)): Promise<LocalImage> {
  const cfg = parseConfigBlob(`image ${rec.id}`, await readBlob(s, rec.id));
  const repoTags = Object.entries(tags)
    .filter(([, id]) => id === rec.id)
    .map(([name]) => name)
    .sort();
  return {
    id: rec.id,
    reference: ref,
    digest: ref?.digest ?? rec.manifest,
    config: cfg.config,
    platform: platformOf(cfg),
    diffIds: rec.diffIds,
    layerDirs: [...rec.diffIds].reverse().map((d) => layerDiffDir(s, d)),
    created: rec.created,
    size: rec.size,
    repoTags,
    repoDigests: [...rec.repoDigests].sort(),
  };
}

export { familiarString, isDigest };
