import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { resumeContainer } from '../../../runtime/pause.js';
import { resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container unpause CONTAINER [CONTAINER...]',
  summary: 'Unpause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    for (const ref of ctx.args) {
      await resumeContainer(rt, await resolveContainer(rt, ref));
      ctx.stdout.write(`${ref}\n`);
    }
    return 0;
  },
};
