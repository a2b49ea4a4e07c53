import type { Command } from '../../command.js';

export const command: Command = {
  usage: 'berth image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: [],
  args: { min: 2, max: 2 },
  async run(ctx) {
    await (await ctx.backend.images()).tag(ctx.args[0]!, ctx.args[1]!);
    return 0;
  },
};
