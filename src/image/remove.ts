import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { RemoveImageResult } from './types.js';
export interface RemoveImageOptions { readonly force?: boolean; readonly noPrune?: boolean }
/** `docker rmi`: untags; deletes the image when no name and no container holds it. */
export async function removeImage(_s: ImageStore, nameOrId: string, _o: RemoveImageOptions = {}): Promise<RemoveImageResult> {
  throw new BerthError('image/not-implemented', `rm ${nameOrId}: not implemented yet`);
}
