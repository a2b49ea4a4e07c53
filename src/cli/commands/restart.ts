import type { Command } from '../command.js';
import { runVerb, timeoutFlag, timeoutOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth restart [OPTIONS] [SERVICE...]',
  summary: 'Restart service containers',
  flags: [timeoutFlag],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.restart({ ...o, ...timeoutOf(ctx) })),
};
