import type { Command } from '../../command.js';
import { eachContainer } from './each.js';
import { waitContainer } from '../../../runtime/wait.js';

export const command: Command = {
  usage: 'berth container wait CONTAINER [CONTAINER...]',
  summary: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1 },
  flags: [],
  run(ctx) {
    // one line per container, in the order given (as docker wait)
    return eachContainer(ctx, async (rt, id) => `${(await waitContainer(rt, id, { signal: ctx.signal })).exitCode}`);
  },
};
