import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { ConfigChanges, LocalImage } from './types.js';
export interface ImportOptions { readonly ref?: string; readonly changes?: ConfigChanges; readonly message?: string; readonly signal?: AbortSignal }
/** `docker import`: a rootfs tarball (plain/gzip/zstd) becomes a one-layer image. */
export async function importRootfs(_s: ImageStore, file: string, _o: ImportOptions = {}): Promise<LocalImage> {
  throw new BerthError('image/not-implemented', `import ${file}: not implemented yet`);
}
