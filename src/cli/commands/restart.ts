import type { Command } from '../command.js';
import { bool, runVerb, timeoutFlag, timeoutOf } from './compose-shared.js';

export const command: Command = {
  usage: 'berth restart [OPTIONS] [SERVICE...]',
  summary: 'Restart service containers',
  dryRun: true,
  flags: [timeoutFlag, { name: 'no-deps', type: 'bool', help: "Don't restart dependent services" }],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.restart({ ...o, ...timeoutOf(ctx), noDeps: bool(ctx, 'no-deps') }), { verb: 'restart', noDeps: bool(ctx, 'no-deps') }),
};
