import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
/** `docker save`: writes images (docker-save layout + OCI index.json) as a tar to `file`. */
export async function saveArchive(_s: ImageStore, refs: readonly string[], file: string): Promise<void> {
  throw new BerthError('image/not-implemented', `save ${refs.join(' ')} -> ${file}: not implemented yet`);
}
