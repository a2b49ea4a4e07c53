import type { Command } from '../../command.js';
import { BerthError } from '../../../errors.js';

export const command: Command = {
  usage: 'berth network inspect NETWORK [NETWORK...]',
  summary: 'Display detailed information on one or more networks',
  flags: [],
  args: { min: 1 },
  async run(ctx) {
    const networks = await ctx.backend.networks();
    const out: unknown[] = [];
    for (const name of ctx.args) {
      const v = await networks.inspect(name);
      if (!v) throw new BerthError('network/not-found', `network ${name} not found`, { hint: 'list networks with `berth network ls`' });
      out.push(v);
    }
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
