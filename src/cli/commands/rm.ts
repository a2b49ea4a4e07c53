import type { Command } from '../command.js';
import { bool, engineFor, rendererFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth rm [OPTIONS] [SERVICE...]',
  summary: 'Removes stopped service containers',
  dryRun: true,
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: "Don't ask to confirm removal" },
    { name: 'stop', short: 's', type: 'bool', help: 'Stop the containers, if required, before removing' },
    { name: 'volumes', short: 'v', type: 'bool', help: 'Remove any anonymous volumes attached to containers' },
  ],
  async run(ctx) {
    const engine = await engineFor(ctx);
    if (ctx.global.dryRun) {
      ctx.stdout.write(`${await engine.planVerb({ source: sourceOf(ctx), services: ctx.args, verb: 'rm', stop: bool(ctx, 'stop'), signal: ctx.signal })}\n`);
      return 0;
    }
    const renderer = await rendererFor(ctx);
    try {
      await engine.remove({
        source: sourceOf(ctx),
        services: ctx.args,
        force: bool(ctx, 'force'),
        stop: bool(ctx, 'stop'),
        volumes: bool(ctx, 'volumes'),
        onEvent: (e) => renderer.event(e),
        signal: ctx.signal,
      });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
