import type { Command } from '../../command.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container stop [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Stop one or more running containers',
  args: { min: 1 },
  flags: [
    { name: 'time', short: 't', type: 'int', value: 'SECONDS', help: 'Seconds to wait before killing the container' },
    { name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'Signal to send to the container' },
  ],
  run(ctx) {
    const time = ctx.flags.time;
    const signal = ctx.flags.signal;
    const options = { ...(typeof time === 'number' ? { timeoutMs: time * 1000 } : {}), ...(typeof signal === 'string' && signal !== '' ? { signal } : {}) };
    return eachContainer(
      ctx,
      async (containers, ref) => {
        await containers.stop(ref, options);
        return ref;
      },
      true,
    );
  },
};
