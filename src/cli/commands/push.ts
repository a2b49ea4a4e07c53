import type { Command } from '../command.js';
import { bool, sourceOf, withRenderer } from './compose-shared.js';

export const command: Command = {
  usage: 'berth push [OPTIONS] [SERVICE...]',
  summary: 'Push service images',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Push without printing progress information' },
    { name: 'ignore-push-failures', type: 'bool', help: 'Push what it can and ignores images with push failures' },
    { name: 'include-deps', type: 'bool', help: 'Also push images of services declared as dependencies' },
  ],
  async run(ctx) {
    const engine = await ctx.backend.engine();
    await withRenderer(ctx, { quiet: bool(ctx, 'quiet') }, (onEvent) =>
      engine.push({ source: sourceOf(ctx), services: ctx.args, ignoreFailures: bool(ctx, 'ignore-push-failures'), includeDeps: bool(ctx, 'include-deps'), onEvent, signal: ctx.signal }),
    );
    return 0;
  },
};
