import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { startOrRerunContainer } from '../../../runtime/start-again.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container start CONTAINER [CONTAINER...]',
  summary: 'Start one or more created or stopped containers',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    let failed = 0;
    for (const ref of ctx.args) {
      try {
        await startOrRerunContainer(rt, await resolveContainer(rt, ref));
        ctx.stdout.write(`${ref}\n`);
      } catch (err) {
        failed++;
        ctx.stderr.write(`berth: ${(err as Error).message}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};
