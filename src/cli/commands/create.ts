import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, list, progressFlag, rendererFor, scaleFlags, sourceOf, str } from './compose-shared.js';
import type { PullOption } from '../../api/index.js';

export const command: Command = {
  usage: 'berth create [OPTIONS] [SERVICE...]',
  summary: 'Creates containers for a service',
  flags: [
    { name: 'force-recreate', type: 'bool', help: "Recreate containers even if their configuration and image haven't changed" },
    { name: 'no-recreate', type: 'bool', help: "If containers already exist, don't recreate them" },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    { name: 'scale', type: 'list', value: 'SERVICE=NUM', help: 'Scale SERVICE to NUM instances' },
    { name: 'pull', type: 'string', value: 'POLICY', help: 'Pull image before running ("always"|"missing"|"never")' },
    { name: 'no-build', type: 'bool', help: "Don't build an image, even if it's policy" },
    progressFlag,
  ],
  async run(ctx) {
    if (bool(ctx, 'force-recreate') && bool(ctx, 'no-recreate')) throw new UsageError('--force-recreate and --no-recreate are incompatible');
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    const pull = str(ctx, 'pull');
    try {
      await engine.create({
        source: sourceOf(ctx),
        services: ctx.args,
        forceRecreate: bool(ctx, 'force-recreate'),
        noRecreate: bool(ctx, 'no-recreate'),
        removeOrphans: bool(ctx, 'remove-orphans'),
        scale: scaleFlags(list(ctx, 'scale')),
        ...(pull ? { pull: pull as PullOption } : {}),
        noBuild: bool(ctx, 'no-build'),
        onEvent: (e) => renderer.event(e),
        signal: ctx.signal,
      });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
