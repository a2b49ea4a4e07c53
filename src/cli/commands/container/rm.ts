import type { Command } from '../../command.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container rm [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Remove one or more containers',
  args: { min: 1 },
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' }],
  run(ctx) {
    return eachContainer(
      ctx,
      async (containers, ref) => {
        await containers.remove(ref, { force: ctx.flags.force === true });
        return ref;
      },
      true,
    );
  },
};
