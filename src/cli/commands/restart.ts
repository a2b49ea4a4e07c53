import type { Command } from '../command.js';
import { progressFlag, runVerb, timeoutFlag, timeoutOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth restart [OPTIONS] [SERVICE...]',
  summary: 'Restart service containers',
  flags: [timeoutFlag, progressFlag],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.restart({ ...o, ...timeoutOf(ctx) })),
};
