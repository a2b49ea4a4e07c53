import type { Command } from '../command.js';
import { engineFor, int, progressFlag, rendererFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth unpause [OPTIONS] [SERVICE...]',
  summary: 'Unpause services',
  flags: [ progressFlag],
  async run(ctx) {
    void int;
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    try {
      await engine.unpause({ source: sourceOf(ctx), services: ctx.args, onEvent: (e) => renderer.event(e), signal: ctx.signal });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
