import type { Command } from '../command.js';
import { berthVersion } from '../../util/version.js';

export const command: Command = {
  usage: 'berth version [OPTIONS]',
  summary: 'Show the berth version information',
  rootless: true,
  flags: [
    { name: 'short', type: 'bool', help: 'Shows only the version number' },
    { name: 'format', short: 'f', type: 'string', value: 'FORMAT', help: 'Format the output: pretty | json' },
  ],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const version = berthVersion();
    if (ctx.flags.short) ctx.stdout.write(`${version}\n`);
    else if (ctx.flags.format === 'json') ctx.stdout.write(`${JSON.stringify({ version })}\n`);
    else ctx.stdout.write(`berth version ${version}\n`);
    return 0;
  },
};
