import type { Command } from '../../command.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container wait CONTAINER [CONTAINER...]',
  summary: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1 },
  flags: [],
  run(ctx) {
    // one line per container, in the order given (as docker wait)
    return eachContainer(ctx, async (containers, ref) => `${await containers.wait(ref, ctx.signal)}`);
  },
};
