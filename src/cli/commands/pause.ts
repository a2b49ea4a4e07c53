import type { Command } from '../command.js';
import { progressFlag, runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth pause [OPTIONS] [SERVICE...]',
  summary: 'Pause services',
  flags: [progressFlag],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.pause(o)),
};
