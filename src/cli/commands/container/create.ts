import type { Command } from '../../command.js';
import { withRenderer } from '../compose-shared.js';
import { CONTAINER_FLAGS, createOptions } from './flags.js';

export const command: Command = {
  usage: 'berth container create [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container create [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Create a new container (started later by `berth container start`)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: CONTAINER_FLAGS,
  async run(ctx) {
    const containers = await ctx.backend.containers();
    ctx.stdout.write(`${await withRenderer(ctx, { plainOnTty: true }, (onEvent) => containers.create(createOptions(ctx, onEvent)))}\n`);
    return 0;
  },
};
