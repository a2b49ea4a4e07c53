import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';

export const command: Command = {
  usage: 'berth image save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (docker save + OCI layout)',
  flags: [{ name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'Write to a file, instead of STDOUT' }],
  args: { min: 1 },
  async run(ctx) {
    const file = ctx.flags.output;
    if (typeof file !== 'string' && (ctx.stdout as { isTTY?: boolean }).isTTY) throw new UsageError('cowardly refusing to save to a terminal', { hint: 'use -o FILE or redirect stdout' });
    await (await ctx.backend.images()).save(ctx.args, typeof file === 'string' ? file : '/dev/stdout');
    return 0;
  },
};
