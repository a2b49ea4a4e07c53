import type { Command } from '../command.js';
import { bool, engineFor, sourceOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth wait [OPTIONS] SERVICE [SERVICE...]',
  summary: 'Block until the first service container stops',
  args: { min: 1 },
  flags: [{ name: 'down-project', type: 'bool', help: 'Drops project when the first container stops' }],
  async run(ctx) {
    const engine = await engineFor(ctx);
    const code = await engine.wait({ source: sourceOf(ctx), services: ctx.args, downProject: bool(ctx, 'down-project'), signal: ctx.signal });
    ctx.stdout.write(`${code}\n`);
    return code;
  },
};
