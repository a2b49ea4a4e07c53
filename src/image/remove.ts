// `docker rmi`: untag a name; delete the image when no name and no container holds it.
import { BerthError } from '../errors.js';
import { collectGarbage } from './gc.js';
import { listHolds } from './hold.js';
import { findLocalImage } from './list.js';
import { familiarString, taggedName } from './reference.js';
import { imageRecordPath, readTags, withStoreLock, writeTags, type ImageStore } from './store.js';
import type { Digest, RemoveImageResult } from './types.js';
const { rm } = process.getBuiltinModule('node:fs/promises');

export interface RemoveImageOptions {
  /** Remove even when several names point at it; untag even when a container uses it. */
  readonly force?: boolean;
  /** Keep layers and blobs (only drop the record and names). */
  readonly noPrune?: boolean;
}

export async function removeImage(s: ImageStore, nameOrId: string, o: RemoveImageOptions = {}): Promise<RemoveImageResult> {
  const found = await findLocalImage(s, nameOrId);
  if (!found) throw new BerthError('image/not-found', `no such image: ${nameOrId}`);
  const id = found.record.id;
  const holders = await listHolds(s, id);
  const untagged: string[] = [];
  const deleted: Digest[] = [];
  await withStoreLock(s, async () => {
    const tags = readTags(s);
    const names = Object.keys(tags)
      .filter((k) => tags[k] === id)
      .sort();
    const byName = found.ref !== undefined && found.ref.digest === undefined ? taggedName(found.ref) : undefined;
    let drop: string[];
    if (byName) drop = [byName];
    else if (names.length > 1 && !o.force) {
      throw new BerthError('image/conflict', `unable to delete ${id.slice(7, 19)} (must be forced): image is referenced in multiple repositories`, {
        hint: `names: ${names.map(familiarString).join(', ')}`,
      });
    } else drop = names;
    const remaining = names.filter((n) => !drop.includes(n));
    if (remaining.length === 0 && holders.length > 0 && !o.force) {
      throw new BerthError('image/in-use', `unable to remove image ${familiarString(byName ?? id)}: it is used by container${holders.length > 1 ? 's' : ''} ${holders.join(', ')}`, {
        hint: 'remove the container first, or use --force to untag it',
      });
    }
    for (const n of drop) {
      delete tags[n];
      untagged.push(familiarString(n));
    }
    writeTags(s, tags);
    if (remaining.length === 0 && holders.length === 0) {
      await rm(imageRecordPath(s, id), { force: true });
      deleted.push(id);
    }
  });
  if (deleted.length && !o.noPrune) await collectGarbage(s);
  return { untagged, deleted };
}
