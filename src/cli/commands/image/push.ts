import type { Command } from '../../command.js';
import { withRenderer } from '../compose-shared.js';

export const command: Command = {
  usage: 'berth image push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  flags: [{ name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const quiet = ctx.flags.quiet === true;
    const images = await ctx.backend.images();
    const r = await withRenderer(ctx, { quiet }, (onEvent) => images.push(ctx.args[0]!, { signal: ctx.signal, onEvent }));
    ctx.stdout.write(quiet ? `${r.canonical}\n` : `${r.tag}: digest: ${r.digest} size: ${r.size}\n`);
    return 0;
  },
};
