// The layer cache: a key per instruction, chained from the parent image (FROM) through every
// instruction's effective text (after substitution; for COPY/ADD plus a content hash of the
// sources), maps to the layer that instruction produced. A record whose layer is no longer
// in the store (image prune) is a miss. The final image is cached the same way, so an
// unchanged rebuild returns the same image id (and `up` recreates nothing).
//   $BERTH_ROOT/build/cache/<key>.json
import type { BuiltLayer, Digest } from '../image/index.js';
import { hasBlob, hasLayer, readImageRecord, type ImageStore } from '../image/index.js';
import { writeJsonFileAsync } from '../util/json-file.js';
const { createHash } = process.getBuiltinModule('node:crypto');
const { mkdir, readFile } = process.getBuiltinModule('node:fs/promises');
const { join } = process.getBuiltinModule('node:path');

export function cacheKey(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export interface LayerRecord {
  readonly layer: BuiltLayer;
  readonly created: string;
}

export interface ImageCacheRecord {
  readonly image: Digest;
}

export class BuildCache {
  readonly dir: string;
  private readonly store: ImageStore;

  constructor(dir: string, store: ImageStore) {
    this.dir = dir;
    this.store = store;
  }

  private async read<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private async write(key: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeJsonFileAsync(join(this.dir, `${key}.json`), value);
  }

  async layer(key: string): Promise<LayerRecord | undefined> {
    const r = await this.read<LayerRecord>(key);
    if (!r?.layer?.diffId || !hasLayer(this.store, r.layer.diffId) || !hasBlob(this.store, r.layer.desc.digest)) return undefined;
    return r;
  }

  putLayer(key: string, record: LayerRecord): Promise<void> {
    return this.write(key, record);
  }

  async image(key: string): Promise<Digest | undefined> {
    const r = await this.read<ImageCacheRecord>(key);
    if (!r?.image || !(await readImageRecord(this.store, r.image))) return undefined;
    return r.image;
  }

  putImage(key: string, image: Digest): Promise<void> {
    return this.write(key, { image } satisfies ImageCacheRecord);
  }
}
