import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { PruneResult } from './types.js';
export interface PruneOptions { readonly all?: boolean }
/** Removes dangling (or with all: unused) images, then layers and blobs nothing references. */
export async function pruneImages(_s: ImageStore, _o: PruneOptions = {}): Promise<PruneResult> {
  throw new BerthError('image/not-implemented', 'prune: not implemented yet');
}
