/** ImagePort over src/image (the store under $BERTH_ROOT/images). */
import { join } from 'node:path';
import { ensureImage, holdImage, openImageStore, releaseImage, removeImage, loadRegistryConfig } from '../../image/index.js';
import { findLocalImage, toLocalImage } from '../../image/list.js';
import type { Digest } from '../../image/types.js';
import type { ImagePort } from '../ports.js';
import { errnoCode, isBerthError } from '../../errors.js';

export function imagePort(root: string, env: Readonly<Record<string, string | undefined>>): ImagePort {
  let store: ReturnType<typeof openImageStore> | undefined;
  const s = (): ReturnType<typeof openImageStore> => (store ??= openImageStore(join(root, 'images')));
  return {
    async ensure(ref, policy, options) {
      return ensureImage(s(), ref, {
        pullPolicy: policy,
        registryConfig: loadRegistryConfig(env),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    async resolveLocal(ref) {
      const found = await findLocalImage(s(), ref);
      return found ? toLocalImage(s(), found.record, found.ref) : undefined;
    },
    hold: (id, holder) => holdImage(s(), id as Digest, holder),
    release: (id, holder) => releaseImage(s(), id as Digest, holder),
    async remove(ref) {
      try {
        await removeImage(s(), ref);
      } catch (err) {
        if (isBerthError(err) && err.code === 'image/not-found') return;
        if (errnoCode(err) === 'ENOENT') return;
        throw err;
      }
    },
  };
}
