import type { Command } from '../../command.js';
import { table } from '../../table.js';

export const command: Command = {
  usage: 'berth container ls [OPTIONS]',
  summary: 'List containers',
  args: { min: 0, max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'table (default) or json' },
  ],
  async run(ctx) {
    const all = await (await ctx.backend.containers()).list();
    const shown = ctx.flags.all ? all : all.filter((c) => c.status === 'running' || c.status === 'paused');
    if (ctx.flags.quiet) {
      for (const c of shown) ctx.stdout.write(`${c.id}\n`);
      return 0;
    }
    if (ctx.flags.format === 'json') {
      for (const c of shown) ctx.stdout.write(`${JSON.stringify(c)}\n`);
      return 0;
    }
    const rows = shown.map((c) => {
      const status = c.status === 'exited' ? `Exited (${c.exitCode})${c.oomKilled ? ' OOM' : ''}` : c.status === 'running' ? 'Up' : c.status === 'paused' ? 'Up (Paused)' : 'Created';
      return [c.id.slice(0, 12), JSON.stringify(c.args.join(' ').slice(0, 20)), c.createdAt.replace('T', ' ').slice(0, 19), status, c.name];
    });
    ctx.stdout.write(table(['CONTAINER ID', 'COMMAND', 'CREATED', 'STATUS', 'NAMES'], rows));
    return 0;
  },
};
