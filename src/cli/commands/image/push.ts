import type { Command } from '../../command.js';
import { rendererFor } from '../compose-shared.js';

export const command: Command = {
  usage: 'berth image push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  flags: [{ name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const quiet = ctx.flags.quiet === true;
    const [images, renderer] = await Promise.all([ctx.backend.images(), rendererFor(ctx, { quiet })]);
    try {
      const r = await images.push(ctx.args[0]!, { signal: ctx.signal, onEvent: (e) => renderer.event(e) });
      ctx.stdout.write(quiet ? `${r.canonical}\n` : `${r.tag}: digest: ${r.digest} size: ${r.size}\n`);
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
