import type { Command } from '../../command.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container kill [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'Signal to send to the container (default SIGKILL)' }],
  run(ctx) {
    const signal = typeof ctx.flags.signal === 'string' ? ctx.flags.signal : 'SIGKILL';
    return eachContainer(ctx, async (containers, ref) => {
      await containers.kill(ref, signal);
      return ref;
    });
  },
};
