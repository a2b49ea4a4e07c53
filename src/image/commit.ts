import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { CommitOptions, LocalImage } from './types.js';
/** Files the runtime bind-mounts/writes per container: never committed. */
export const INIT_LAYER_FILES: readonly string[] = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];
/** The container's overlay upper dir becomes a new top layer on top of `parent`. */
export async function commitLayer(_s: ImageStore, o: CommitOptions): Promise<LocalImage> {
  throw new BerthError('image/not-implemented', `commit ${o.upperDir}: not implemented yet`);
}
