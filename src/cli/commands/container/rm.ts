import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { deleteContainer } from '../../../runtime/delete.js';
import { requireStored, resolveContainer } from '../../../runtime/state.js';
import type { ContainerImage, RuntimeContext } from '../../../runtime/types.js';
import { imageHold } from './image-hold.js';

export const command: Command = {
  usage: 'berth container rm [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Remove one or more containers',
  args: { min: 1 },
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' }],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    await Promise.all(
      ctx.args.map(async (ref) => {
        try {
          const id = await resolveContainer(rt, ref);
          const image = storedImage(rt, id);
          await deleteContainer(rt, id, { force: ctx.flags.force === true });
          if (image) await imageHold(ctx, image.id, id, false);
          ctx.stdout.write(`${ref}\n`);
        } catch (err) {
          failed++;
          ctx.stderr.write(`berth: ${(err as Error).message}\n`);
        }
      }),
    );
    return failed ? 1 : 0;
  },
};

/** The image a container holds; none for a half-made container without config.json. */
function storedImage(rt: RuntimeContext, id: string): ContainerImage | undefined {
  try {
    return requireStored(rt, id).config.image;
  } catch {
    return undefined;
  }
}
