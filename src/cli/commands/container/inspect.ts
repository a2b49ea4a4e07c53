import type { Command } from '../../command.js';

export const command: Command = {
  usage: 'berth container inspect CONTAINER [CONTAINER...]',
  summary: 'Display detailed information on one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx) {
    const containers = await ctx.backend.containers();
    const out: unknown[] = [];
    for (const ref of ctx.args) out.push(await containers.inspect(ref));
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
