import type { Command } from '../command.js';
import { runVerb, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth kill [OPTIONS] [SERVICE...]',
  summary: 'Force stop service containers',
  dryRun: true,
  flags: [
    { name: 'signal', short: 's', type: 'string', value: 'SIGNAL', help: 'SIGNAL to send to the container (default "SIGKILL")' },
    { name: 'remove-orphans', type: 'bool', help: 'Remove containers for services not defined in the Compose file' },
  ],
  run: (ctx) => runVerb(ctx, (engine, o) => engine.kill({ ...o, killSignal: str(ctx, 'signal') ?? 'SIGKILL' }), { verb: 'kill', killSignal: str(ctx, 'signal') ?? 'SIGKILL' }),
};
