import type { Command } from '../../command.js';
import { withRenderer } from '../compose-shared.js';

export const command: Command = {
  usage: 'berth image pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
    { name: 'platform', type: 'string', value: 'PLATFORM', help: 'Pull for this platform (os/arch[/variant])' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const quiet = ctx.flags.quiet === true;
    const images = await ctx.backend.images();
    const platform = ctx.flags.platform;
    const r = await withRenderer(ctx, { quiet }, (onEvent) => images.pull(ctx.args[0]!, { ...(typeof platform === 'string' ? { platform } : {}), signal: ctx.signal, onEvent }));
    // the result, as docker prints it
    if (!quiet) ctx.stdout.write(`Digest: ${r.digest}\nStatus: ${r.status === 'up-to-date' ? `Image is up to date for ${r.familiar}` : `Downloaded newer image for ${r.familiar}`}\n`);
    ctx.stdout.write(`${r.canonical}\n`);
    return 0;
  },
};
