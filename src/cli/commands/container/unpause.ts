import type { Command } from '../../command.js';
import { eachContainer } from './each.js';
import { resumeContainer } from '../../../runtime/pause.js';

export const command: Command = {
  usage: 'berth container unpause CONTAINER [CONTAINER...]',
  summary: 'Unpause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  run(ctx) {
    return eachContainer(ctx, async (rt, id, ref) => {
      await resumeContainer(rt, id);
      return ref;
    });
  },
};
