import type { Command } from '../command.js';
import { bool, engineFor, rendererFor, scaleFlags, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth scale [OPTIONS] SERVICE=REPLICAS [SERVICE=REPLICAS...]',
  summary: 'Scale services',
  args: { min: 1 },
  flags: [{ name: 'no-deps', type: 'bool', help: "Don't start linked services" }],
  async run(ctx) {
    const scale = scaleFlags(ctx.args);
    const engine = await engineFor(ctx);
    const renderer = await rendererFor(ctx);
    try {
      await engine.scale({ source: sourceOf(ctx), scale, noDeps: bool(ctx, 'no-deps'), onEvent: (e) => renderer.event(e), signal: ctx.signal });
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
