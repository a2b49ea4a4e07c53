import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { killContainer } from '../../../runtime/kill.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container kill [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'Signal to send to the container (default SIGKILL)' }],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    for (const ref of ctx.args) {
      try {
        await killContainer(rt, await resolveContainer(rt, ref), (ctx.flags.signal as string | undefined) ?? 'SIGKILL');
        ctx.stdout.write(`${ref}\n`);
      } catch (err) {
        failed++;
        ctx.stderr.write(`berth: ${(err as Error).message}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};
