import type { Command } from '../command.js';
import { runVerb, timeoutFlag, timeoutOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth stop [OPTIONS] [SERVICE...]',
  summary: 'Stop services',
  dryRun: true,
  flags: [timeoutFlag],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.stop({ ...o, ...timeoutOf(ctx) }), { verb: 'stop' }),
};
