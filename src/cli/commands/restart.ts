import type { Command } from '../command.js';
import { engineFor, int, progressFlag, rendererFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth restart [OPTIONS] [SERVICE...]',
  summary: 'Restart service containers',
  flags: [{ name: 'timeout', short: 't', type: 'int', value: 'SECONDS', help: 'Specify a shutdown timeout in seconds' }, progressFlag],
  async run(ctx) {
    void int;
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    try {
      await engine.restart({ source: sourceOf(ctx), services: ctx.args, ...(int(ctx, 'timeout') !== undefined ? { timeout: int(ctx, 'timeout')! } : {}), onEvent: (e) => renderer.event(e), signal: ctx.signal });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
