import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { LocalImage, PullOptions } from './types.js';
/** Pulls `ref` from its registry (or docker.io mirrors) into the store; returns the local image. */
export async function pullImage(_s: ImageStore, ref: string, _o: PullOptions = {}): Promise<LocalImage> {
  throw new BerthError('image/not-implemented', `pull ${ref}: not implemented yet`);
}
