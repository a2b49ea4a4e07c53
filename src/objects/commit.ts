// berth container commit: the container's rw layer (its overlay upper dir, without the init
// layer's files) becomes the top layer of a new image over the image it runs on. runtime and
// image are peers that never import each other, so this is the glue between them.
// A container run from a plain rootfs dir (--rootfs DIR) has no parent image: refused, with
// a hint (import the dir as an image first), rather than silently importing a whole rootfs.
import type { CommitOptions } from '../api/index.js';
import type { ContainerId, RuntimeContext } from '../runtime/index.js';
import { BerthError } from '../errors.js';
import { berthRoot } from '../util/berth-dirs.js';
import { loadImage, loadRuntime } from '../load.js';
const { join } = process.getBuiltinModule('node:path');

export async function commitContainer(env: Readonly<Record<string, string | undefined>>, rt: RuntimeContext, id: ContainerId, o: CommitOptions): Promise<string> {
  const [image, runtime] = await Promise.all([loadImage(), loadRuntime()]);
  const changes = image.parseChanges(o.changes ?? []);
  const src = runtime.commitSource(rt, id);
  if (!src.image) {
    throw new BerthError('container/no-image', `container ${id} runs on a plain rootfs dir (--rootfs), not an image: there is no parent image to commit onto`, {
      hint: `import the dir as an image (tar -C DIR -c . | berth image import - NAME) and run the container from NAME`,
    });
  }
  const store = image.openImageStore(join(berthRoot(env), 'images'));
  const parent = await image.resolveLocalImage(store, src.image.id);
  const pause = o.pause !== false && src.status === 'running';
  if (pause) await runtime.pauseContainer(rt, id);
  try {
    const img = await image.commitLayer(store, {
      upperDir: src.upperDir,
      parent,
      exclude: src.initFiles,
      changes,
      ...(o.ref ? { ref: o.ref } : {}),
      ...(o.message !== undefined ? { comment: o.message } : {}),
      ...(o.author !== undefined ? { author: o.author } : {}),
    });
    return img.id;
  } finally {
    if (pause) await runtime.resumeContainer(rt, id);
  }
}
