import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, sourceOf, str, withRenderer } from './compose-shared.js';

export const command: Command = {
  usage: 'berth pull [OPTIONS] [SERVICE...]',
  summary: 'Pull service images',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Pull without printing progress information' },
    { name: 'ignore-pull-failures', type: 'bool', help: 'Pull what it can and ignores images with pull failures' },
    { name: 'include-deps', type: 'bool', help: 'Also pull services declared as dependencies' },
    { name: 'ignore-buildable', type: 'bool', help: 'Ignore images that can be built' },
    { name: 'policy', type: 'string', value: 'POLICY', help: 'Apply pull policy ("missing"|"always")' },
  ],
  async run(ctx) {
    const policy = str(ctx, 'policy');
    if (policy !== undefined && policy !== 'missing' && policy !== 'always') throw new UsageError(`invalid --policy "${policy}": expected missing or always`);
    const engine = await ctx.backend.engine();
    await withRenderer(ctx, { quiet: bool(ctx, 'quiet') }, (onEvent) =>
      engine.pull({
        source: sourceOf(ctx),
        services: ctx.args,
        ...(policy !== undefined ? { policy } : {}),
        ignoreFailures: bool(ctx, 'ignore-pull-failures'),
        includeDeps: bool(ctx, 'include-deps'),
        ignoreBuildable: bool(ctx, 'ignore-buildable'),
        onEvent,
        signal: ctx.signal,
      }),
    );
    return 0;
  },
};
