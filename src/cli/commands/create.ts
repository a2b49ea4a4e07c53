import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, imageFlags, imageOptions, list, rendererFor, scaleFlags, orphanOptions, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth create [OPTIONS] [SERVICE...]',
  summary: 'Creates containers for a service',
  flags: [
    { name: 'force-recreate', type: 'bool', help: "Recreate containers even if their configuration and image haven't changed" },
    { name: 'no-recreate', type: 'bool', help: "If containers already exist, don't recreate them" },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    { name: 'scale', type: 'list', value: 'SERVICE=NUM', help: 'Scale SERVICE to NUM instances' },
    ...imageFlags,
  ],
  async run(ctx) {
    if (bool(ctx, 'force-recreate') && bool(ctx, 'no-recreate')) throw new UsageError('--force-recreate and --no-recreate are incompatible');
    const images = imageOptions(ctx);
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    try {
      await engine.create({
        source: sourceOf(ctx),
        services: ctx.args,
        forceRecreate: bool(ctx, 'force-recreate'),
        noRecreate: bool(ctx, 'no-recreate'),
        ...orphanOptions(ctx),
        scale: scaleFlags(list(ctx, 'scale')),
        ...images,
        onEvent: (e) => renderer.event(e),
        signal: ctx.signal,
      });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
