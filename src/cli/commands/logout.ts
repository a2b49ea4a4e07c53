import type { Command } from '../command.js';

export const command: Command = {
  usage: 'berth logout [SERVER]',
  summary: 'Log out from a registry',
  flags: [],
  args: { min: 0, max: 1 },
  async run(ctx) {
    const server = ctx.args[0] ?? 'docker.io';
    const had = await (await ctx.backend.images()).logout(server);
    ctx.stdout.write(had ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
    return 0;
  },
};
