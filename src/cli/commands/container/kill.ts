import type { Command } from '../../command.js';
import { eachContainer } from './each.js';
import { killContainer } from '../../../runtime/kill.js';

export const command: Command = {
  usage: 'berth container kill [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'Signal to send to the container (default SIGKILL)' }],
  run(ctx) {
    return eachContainer(ctx, async (rt, id, ref) => {
      await killContainer(rt, id, (ctx.flags.signal as string | undefined) ?? 'SIGKILL');
      return ref;
    });
  },
};
