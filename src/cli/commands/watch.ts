import type { Command } from '../command.js';
import { bool, engineFor, rendererFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth watch [OPTIONS] [SERVICE...]',
  summary: 'Watch build context for service and rebuild/refresh containers when files are updated',
  flags: [
    { name: 'no-up', type: 'bool', help: 'Do not build & start services before watching' },
    { name: 'prune', type: 'bool', help: 'Prune dangling images on rebuild (default: true; --prune=false keeps them)' },
    { name: 'quiet', type: 'bool', help: 'Hide build output' },
  ],
  async run(ctx) {
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    const { watchProject } = await import('../../watch/index.js');
    try {
      await watchProject({
        engine,
        source: sourceOf(ctx),
        services: ctx.args,
        noUp: bool(ctx, 'no-up'),
        // on by default, as compose's
        prune: ctx.flags.prune !== false,
        quiet: bool(ctx, 'quiet'),
        verbose: ctx.global.verbose,
        signal: ctx.signal,
        onEvent: (e) => renderer.event(e),
        onMessage: (m) => (m.level === 'warn' ? ctx.stderr : ctx.stdout).write(`${m.level === 'warn' ? 'WARN ' : ''}${m.text}\n`),
      });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
