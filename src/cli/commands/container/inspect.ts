import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { containerState, requireStored, resolveContainer } from '../../../runtime/state.js';

export const command: Command = {
  usage: 'berth container inspect CONTAINER [CONTAINER...]',
  summary: 'Display detailed information on one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const rt = runtimeContext(ctx.env);
    const out: unknown[] = [];
    for (const ref of ctx.args) {
      const id = await resolveContainer(rt, ref);
      const stored = requireStored(rt, id);
      out.push({ ...(await containerState(rt, id)), config: stored.config, capabilities: stored.caps });
    }
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
