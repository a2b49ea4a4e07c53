import type { Command } from '../../command.js';
import { withRenderer } from '../compose-shared.js';
import { CONTAINER_FLAGS, createOptions } from './flags.js';

export const command: Command = {
  usage: 'berth container run [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container run [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Run a command in a new container (outside any compose project)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: [{ name: 'detach', short: 'd', type: 'bool', help: 'Run in the background and print the container ID' }, ...CONTAINER_FLAGS],
  /** An attached run execs into the shim (this process becomes the container's monitor): it may not return. */
  async run(ctx) {
    const detach = ctx.flags.detach === true;
    const containers = await ctx.backend.containers();
    const r = await withRenderer(ctx, { plainOnTty: true }, (onEvent) => containers.run({ ...createOptions(ctx, onEvent), detach }));
    if (detach) ctx.stdout.write(`${r.id}\n`);
    return r.exitCode ?? 0;
  },
};
