import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import type { DownOptions } from '../../api/index.js';
import { bool, engineFor, int, rendererFor, orphanOptions, sourceOf, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth down [OPTIONS] [SERVICE...]',
  summary: 'Stop and remove containers, networks',
  dryRun: true,
  flags: [
    { name: 'volumes', short: 'v', type: 'bool', help: 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers' },
    { name: 'rmi', type: 'string', value: 'TYPE', help: 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")' },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    { name: 'timeout', short: 't', type: 'int', value: 'SECONDS', help: 'Specify a shutdown timeout in seconds' },
  ],
  async run(ctx) {
    const rmi = str(ctx, 'rmi');
    if (rmi !== undefined && rmi !== 'all' && rmi !== 'local') throw new UsageError(`invalid --rmi "${rmi}": expected local or all`);
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    const timeout = int(ctx, 'timeout');
    try {
      const options: DownOptions = {
        source: sourceOf(ctx),
        services: ctx.args,
        volumes: bool(ctx, 'volumes'),
        ...(rmi ? { rmi: rmi as 'all' | 'local' } : {}),
        ...orphanOptions(ctx),
        ...(timeout !== undefined ? { timeout } : {}),
        onEvent: (e) => renderer.event(e),
        signal: ctx.signal,
      };
      if (ctx.global.dryRun) ctx.stdout.write(`${await engine.planDown(options)}\n`);
      else await engine.down(options);
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
