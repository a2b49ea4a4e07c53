import { BerthError } from '../errors.js';
import type { Readable } from 'node:stream';
export interface UnpackOptions { readonly what: string; readonly signal?: AbortSignal }
/** Applies one uncompressed layer tar stream to an empty directory (overlay whiteout format). */
export async function unpackLayer(_tar: Readable, dest: string, o: UnpackOptions): Promise<{ size: number }> {
  throw new BerthError('image/not-implemented', `unpack ${o.what} into ${dest}: not implemented yet`);
}
