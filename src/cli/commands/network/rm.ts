import type { Command } from '../../command.js';

export const command: Command = {
  usage: 'berth network rm NETWORK [NETWORK...]',
  summary: 'Remove one or more networks',
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Also detach containers still recorded on it' }],
  args: { min: 1 },
  async run(ctx) {
    const networks = await ctx.backend.networks();
    for (const name of ctx.args) {
      await networks.remove(name, { force: ctx.flags.force === true });
      ctx.stdout.write(`${name}\n`);
    }
    return 0;
  },
};
