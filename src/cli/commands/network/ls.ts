import type { Command } from '../../command.js';
import { table } from '../../table.js';

export const command: Command = {
  usage: 'berth network ls [OPTIONS]',
  summary: 'List networks',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display network names' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Output format: table (default) or json' },
  ],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const rows = await (await ctx.backend.networks()).list();
    if (ctx.flags.quiet) {
      for (const n of rows) ctx.stdout.write(`${n.name}\n`);
      return 0;
    }
    if (ctx.flags.format === 'json') {
      ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const cells = rows.map((n) => [n.name, 'bridge', n.bridge, n.subnet, n.gateway, String(n.internal), String(n.containers)]);
    ctx.stdout.write(table(['NAME', 'DRIVER', 'BRIDGE', 'SUBNET', 'GATEWAY', 'INTERNAL', 'CONTAINERS'], cells));
    return 0;
  },
};
