import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';
import { saveArchive } from '../../../image/archive-save.js';
import { storeFor } from './shared.js';

export const command: Command = {
  usage: 'berth image save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (docker save + OCI layout)',
  flags: [{ name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'Write to a file, instead of STDOUT' }],
  args: { min: 1 },
  async run(ctx) {
    const file = ctx.flags.output;
    if (typeof file !== 'string') {
      if ((ctx.stdout as { isTTY?: boolean }).isTTY) throw new UsageError('cowardly refusing to save to a terminal', { hint: 'use -o FILE or redirect stdout' });
      await saveArchive(storeFor(ctx), ctx.args, '/dev/stdout');
    } else await saveArchive(storeFor(ctx), ctx.args, file);
    return 0;
  },
};
