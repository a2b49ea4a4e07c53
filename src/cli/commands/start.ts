import type { Command } from '../command.js';
import { runVerb } from './compose-shared.js';

export const command: Command = {
  usage: 'berth start [OPTIONS] [SERVICE...]',
  summary: 'Start services',
  flags: [],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.start(o)),
};
