import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { LocalImage } from './types.js';
/** `docker load`: a docker-save or OCI archive (tar, optionally gzip) -> images in the store. */
export async function loadArchive(_s: ImageStore, file: string, _o: { signal?: AbortSignal } = {}): Promise<LocalImage[]> {
  throw new BerthError('image/not-implemented', `load ${file}: not implemented yet`);
}
