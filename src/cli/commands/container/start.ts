import type { Command } from '../../command.js';
import { eachContainer } from './each.js';
import { startOrRerunContainer } from '../../../runtime/start-again.js';

export const command: Command = {
  usage: 'berth container start CONTAINER [CONTAINER...]',
  summary: 'Start one or more created or stopped containers',
  args: { min: 1 },
  flags: [],
  run(ctx) {
    return eachContainer(ctx, async (rt, id, ref) => {
      await startOrRerunContainer(rt, id);
      return ref;
    });
  },
};
