// `docker image prune [-a]`: dangling (untagged) images, or with `all` every image no
// container holds; then layers and blobs nothing references.
import { collectGarbage } from './gc.js';
import { listHolds } from './hold.js';
import { imageRecordPath, listImageRecords, readTags, withStoreLock, type ImageStore } from './store.js';
import type { Digest, PruneResult } from './types.js';
const { rm } = process.getBuiltinModule('node:fs/promises');

export interface PruneOptions {
  readonly all?: boolean;
}

export async function pruneImages(s: ImageStore, o: PruneOptions = {}): Promise<PruneResult> {
  const deletedImages: Digest[] = [];
  await withStoreLock(s, async () => {
    const tags = readTags(s);
    const tagged = new Set(Object.values(tags));
    for (const rec of await listImageRecords(s)) {
      if (!o.all && tagged.has(rec.id)) continue;
      if ((await listHolds(s, rec.id)).length > 0) continue;
      for (const [k, v] of Object.entries(tags)) if (v === rec.id) delete tags[k];
      await rm(imageRecordPath(s, rec.id), { force: true });
      deletedImages.push(rec.id);
    }
    const { writeTags } = await import('./store.js');
    writeTags(s, tags);
  });
  const gc = await collectGarbage(s);
  return { deletedImages: deletedImages.sort(), deletedLayers: gc.deletedLayers, reclaimedBytes: gc.reclaimedBytes };
}
