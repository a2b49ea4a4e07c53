import type { Command } from '../../command.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container unpause CONTAINER [CONTAINER...]',
  summary: 'Unpause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  run(ctx) {
    return eachContainer(ctx, async (containers, ref) => {
      await containers.unpause(ref);
      return ref;
    });
  },
};
