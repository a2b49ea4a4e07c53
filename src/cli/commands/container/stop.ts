import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { stopContainer } from '../../../runtime/kill.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container stop [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Stop one or more running containers',
  args: { min: 1 },
  flags: [
    { name: 'time', short: 't', type: 'int', value: 'SECONDS', help: 'Seconds to wait before killing the container' },
    { name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'Signal to send to the container' },
  ],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    await Promise.all(
      ctx.args.map(async (ref) => {
        try {
          const id = await resolveContainer(rt, ref);
          await stopContainer(rt, id, {
            ...(ctx.flags.time !== undefined ? { timeoutMs: (ctx.flags.time as number) * 1000 } : {}),
            ...(ctx.flags.signal ? { signal: ctx.flags.signal as string } : {}),
          });
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
