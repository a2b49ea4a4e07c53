// `docker tag SOURCE TARGET`: points a name at a stored image.
import { BerthError } from '../errors.js';
import { parseReference, taggedName } from './reference.js';
import { readTags, withStoreLock, writeTags, type ImageStore } from './store.js';
import { resolveLocalImage } from './list.js';
import type { Digest, ImageReference } from './types.js';

export async function tagImage(s: ImageStore, source: string, target: string): Promise<ImageReference> {
  const img = await resolveLocalImage(s, source);
  const ref = parseReference(target);
  if (ref.digest) throw new BerthError('image/invalid-reference', `cannot tag with a digest reference "${target}"`);
  await setTag(s, ref, img.id);
  return ref;
}

export async function setTag(s: ImageStore, ref: ImageReference, id: Digest): Promise<void> {
  const key = taggedName(ref);
  if (!key) return;
  await withStoreLock(s, () => {
    const tags = readTags(s);
    tags[key] = id;
    writeTags(s, tags);
  });
}
