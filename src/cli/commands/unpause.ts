import type { Command } from '../command.js';
import { progressFlag, runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth unpause [OPTIONS] [SERVICE...]',
  summary: 'Unpause services',
  flags: [progressFlag],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.unpause(o)),
};
