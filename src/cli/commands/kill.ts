import type { Command } from '../command.js';
import { engineFor, progressFlag, rendererFor, sourceOf, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth kill [OPTIONS] [SERVICE...]',
  summary: 'Force stop service containers',
  flags: [
    { name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'SIGNAL to send to the container (default "SIGKILL")' },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    progressFlag,
  ],
  async run(ctx) {
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    try {
      await engine.kill({ source: sourceOf(ctx), services: ctx.args, killSignal: str(ctx, 'signal') ?? 'SIGKILL', onEvent: (e) => renderer.event(e), signal: ctx.signal });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
