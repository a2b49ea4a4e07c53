import type { Command } from '../../command.js';
import { rendererFor } from '../compose-shared.js';
import { CONTAINER_FLAGS, createOptions } from './flags.js';

export const command: Command = {
  usage: 'berth container create [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container create [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Create a new container (started later by `berth container start`)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: CONTAINER_FLAGS,
  async run(ctx) {
    const [containers, renderer] = await Promise.all([ctx.backend.containers(), rendererFor(ctx)]);
    try {
      ctx.stdout.write(`${await containers.create(createOptions(ctx, (e) => renderer.event(e)))}\n`);
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
