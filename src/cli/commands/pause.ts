import type { Command } from '../command.js';
import { runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth pause [OPTIONS] [SERVICE...]',
  summary: 'Pause services',
  dryRun: true,
  flags: [],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.pause(o), { verb: 'pause' }),
};
