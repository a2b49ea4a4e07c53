// `docker import`: a rootfs tarball (plain, gzip or zstd) becomes a one-layer image.
import { BerthError, errnoCode } from '../errors.js';
import { applyChanges } from './changes.js';
import { decompress } from './compression.js';
import { withLease } from './gc.js';
import { addLayer, writeImage } from './image-builder.js';
import type { ImageStore } from './store.js';
import type { ConfigChanges, LocalImage } from './types.js';
const { createReadStream } = process.getBuiltinModule('node:fs');

export interface ImportOptions {
  readonly ref?: string;
  readonly changes?: ConfigChanges;
  readonly message?: string;
  readonly signal?: AbortSignal;
}

export async function importRootfs(s: ImageStore, file: string, o: ImportOptions = {}): Promise<LocalImage> {
  const label = o.ref ?? file;
  return withLease(s, async () => {
    try {
      const layer = await addLayer(s, decompress(createReadStream(file, { highWaterMark: 1 << 20 })), `import ${label}`);
      const created = new Date().toISOString();
      return await writeImage(s, {
        layers: [layer],
        config: applyChanges({}, o.changes),
        created,
        history: [{ created, created_by: 'berth image import', ...(o.message ? { comment: o.message } : {}) }],
        ...(o.ref ? { ref: o.ref } : {}),
      });
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw new BerthError('image/not-found', `import: no such file ${file}`, { cause: err });
      throw err;
    }
  });
}
