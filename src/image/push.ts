import { BerthError } from '../errors.js';
import type { ImageStore } from './store.js';
import type { Digest, PushOptions } from './types.js';
/** Pushes a local image to the registry its name points at; returns the manifest digest. */
export async function pushImage(_s: ImageStore, ref: string, _o: PushOptions = {}): Promise<{ digest: Digest; size: number }> {
  throw new BerthError('image/not-implemented', `push ${ref}: not implemented yet`);
}
