import type { Command } from '../command.js';
import { runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth unpause [OPTIONS] [SERVICE...]',
  summary: 'Unpause services',
  dryRun: true,
  flags: [],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.unpause(o), { verb: 'unpause' }),
};
