import type { Command } from '../command.js';
import { bool, rendererFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth watch [OPTIONS] [SERVICE...]',
  summary: 'Watch build context for service and rebuild/refresh containers when files are updated',
  flags: [
    { name: 'no-up', type: 'bool', help: 'Do not build & start services before watching' },
    { name: 'prune', type: 'bool', help: 'Prune dangling images on rebuild (default: true; --prune=false keeps them)' },
    { name: 'quiet', type: 'bool', help: 'Hide build output' },
  ],
  async run(ctx) {
    const renderer = await rendererFor(ctx);
    try {
      await ctx.backend.watch({
        source: sourceOf(ctx),
        services: ctx.args,
        noUp: bool(ctx, 'no-up'),
        // on by default, as compose's
        prune: ctx.flags.prune !== false,
        quiet: bool(ctx, 'quiet'),
        verbose: ctx.global.verbose,
        signal: ctx.signal,
        onEvent: (e) => renderer.event(e),
      });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
