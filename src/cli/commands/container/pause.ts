import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { pauseContainer } from '../../../runtime/pause.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container pause CONTAINER [CONTAINER...]',
  summary: 'Pause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    for (const ref of ctx.args) {
      await pauseContainer(rt, await resolveContainer(rt, ref));
      ctx.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
