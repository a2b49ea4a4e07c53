/** ImagePort over src/image (the store under $BERTH_ROOT/images), loaded on first use. */
import type { Digest } from '../../image/index.js';
import type { ImagePort } from '../ports.js';
import { loadImage, loadImageLocal, loadImageRemove } from '../../load.js';
import { errnoCode, isBerthError } from '../../errors.js';
const { join } = process.getBuiltinModule('node:path');

type ImageModule = Awaited<ReturnType<typeof loadImage>>;
type Store = ReturnType<ImageModule['openImageStore']>;

export function imagePort(root: string, env: Readonly<Record<string, string | undefined>>): ImagePort {
  let loaded: Promise<{ m: ImageModule; s: Store }> | undefined;
  const I = (): Promise<{ m: ImageModule; s: Store }> => (loaded ??= Promise.all([loadImage(), L()]).then(([m, { s }]) => ({ m, s })));
  // What `up` needs when the image is already here (lookups, holds) and `down` (releases)
  // comes from a few store modules: the registry client and unpacker (~35 modules, tens of
  // ms to load) only when something must be pulled.
  type Local = Awaited<ReturnType<typeof loadImageLocal>> & { s: Store };
  let local: Promise<Local> | undefined;
  const L = (): Promise<Local> => (local ??= loadImageLocal().then((m) => ({ ...m, s: m.store.openImageStore(join(root, 'images')) })));
  return {
    async ensure(ref, policy, options) {
      if (policy === 'missing' || policy === 'never') {
        const { list, ref: reference, s } = await L();
        const found = await list.findLocalImage(s, ref);
        if (found) return list.toLocalImage(s, found.record, reference.parseReference(ref));
      }
      const { m, s } = await I();
      return m.ensureImage(s, ref, {
        pullPolicy: policy,
        registryConfig: m.loadRegistryConfig(env),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    async resolveLocal(ref) {
      const { list, s } = await L();
      const found = await list.findLocalImage(s, ref);
      return found ? list.toLocalImage(s, found.record, found.ref) : undefined;
    },
    async hold(id, holder) {
      const { hold, s } = await L();
      await hold.holdImage(s, id as Digest, holder);
    },
    async release(id, holder) {
      const { hold, s } = await L();
      await hold.releaseImage(s, id as Digest, holder);
    },
    async removeDangling(id) {
      const { hold, store, s } = await L();
      // a name or a container still using it keeps it (removeImage by id would untag a name)
      if (Object.values(store.readTags(s)).includes(id as Digest) || (await hold.listHolds(s, id as Digest)).length > 0) return false;
      const { removeImage } = await loadImageRemove();
      try {
        await removeImage(s, id);
        return true;
      } catch (err) {
        if (isBerthError(err) && (err.code === 'image/not-found' || err.code === 'image/in-use')) return false;
        if (errnoCode(err) === 'ENOENT') return false;
        throw err;
      }
    },
    async push(ref, options) {
      const { m, s } = await I();
      await m.pushImage(s, ref, {
        registryConfig: m.loadRegistryConfig(env),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
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
