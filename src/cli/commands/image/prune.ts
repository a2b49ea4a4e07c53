import type { Command } from '../../command.js';
import { humanSize } from './shared.js';

export const command: Command = {
  usage: 'berth image prune [OPTIONS]',
  summary: 'Remove unused images',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all images not used by a container, not just dangling ones' },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation (berth never prompts)' },
  ],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const r = await (await ctx.backend.images()).prune({ all: ctx.flags.all === true });
    if (r.deleted.length) {
      ctx.stdout.write('Deleted Images:\n');
      for (const d of r.deleted) ctx.stdout.write(`deleted: ${d}\n`);
      ctx.stdout.write('\n');
    }
    ctx.stdout.write(`Total reclaimed space: ${humanSize(r.reclaimedBytes)}\n`);
    return 0;
  },
};
