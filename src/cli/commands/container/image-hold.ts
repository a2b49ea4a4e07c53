// `berth container run IMAGE` holds its image against `image prune`/`image rm` while the
// container exists (the image module's holds: one empty file per container).
import type { CommandContext } from '../../command.js';
import type { Digest } from '../../../image/types.js';
import { berthRoot } from '../../../util/berth-dirs.js';
const { join } = process.getBuiltinModule('node:path');

/**
 * Holds (or releases) the image against `image prune`/`rm` while the container exists: one
 * empty file per container (image module's holds). Released by `container rm`, or here after
 * an attached --rm run ends.
 */
export async function imageHold(ctx: Pick<CommandContext, 'env'>, imageId: string, containerId: string, hold: boolean): Promise<void> {
  const [{ openImageStore }, { holdImage, releaseImage }] = await Promise.all([import('../../../image/store.js'), import('../../../image/hold.js')]);
  const store = openImageStore(join(berthRoot(ctx.env), 'images'));
  await (hold ? holdImage : releaseImage)(store, imageId as Digest, containerId);
}
