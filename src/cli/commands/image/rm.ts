import type { Command } from '../../command.js';
import { describe } from '../../../errors.js';

export const command: Command = {
  usage: 'berth image rm [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Force removal of the image' },
    { name: 'no-prune', type: 'bool', help: 'Do not delete unused layers' },
  ],
  args: { min: 1 },
  async run(ctx) {
    const images = await ctx.backend.images();
    let code = 0;
    for (const name of ctx.args) {
      try {
        const r = await images.remove(name, { force: ctx.flags.force === true, noPrune: ctx.flags['no-prune'] === true });
        for (const u of r.untagged) ctx.stdout.write(`Untagged: ${u}\n`);
        for (const d of r.deleted) ctx.stdout.write(`Deleted: ${d}\n`);
      } catch (err) {
        ctx.stderr.write(`berth: ${describe(err)}\n`);
        code = 1;
      }
    }
    return code;
  },
};
