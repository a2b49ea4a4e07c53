/** ImagePort over src/image (the store under $BERTH_ROOT/images), loaded on first use. */
import { join } from 'node:path';
import type { Digest } from '../../image/types.js';
import type { ImagePort } from '../ports.js';
import { errnoCode, isBerthError } from '../../errors.js';

type ImageModule = typeof import('../../image/index.js');
type Store = ReturnType<ImageModule['openImageStore']>;

export function imagePort(root: string, env: Readonly<Record<string, string | undefined>>): ImagePort {
  let loaded: Promise<{ m: ImageModule; s: Store }> | undefined;
  const I = (): Promise<{ m: ImageModule; s: Store }> => (loaded ??= import('../../image/index.js').then((m) => ({ m, s: m.openImageStore(join(root, 'images')) })));
  return {
    async ensure(ref, policy, options) {
      const { m, s } = await I();
      return m.ensureImage(s, ref, {
        pullPolicy: policy,
        registryConfig: m.loadRegistryConfig(env),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    async resolveLocal(ref) {
      const { m, s } = await I();
      const found = await m.findLocalImage(s, ref);
      return found ? m.toLocalImage(s, found.record, found.ref) : undefined;
    },
    async hold(id, holder) {
      const { m, s } = await I();
      await m.holdImage(s, id as Digest, holder);
    },
    async release(id, holder) {
      const { m, s } = await I();
      await m.releaseImage(s, id as Digest, holder);
    },
    async remove(ref) {
      const { m, s } = await I();
      try {
        await m.removeImage(s, ref);
      } catch (err) {
        if (isBerthError(err) && err.code === 'image/not-found') return;
        if (errnoCode(err) === 'ENOENT') return;
        throw err;
      }
    },
  };
}
