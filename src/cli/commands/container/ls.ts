import type { Command } from '../../command.js';
import { runtimeContext } from '../../../runtime/context.js';
import { listContainers } from '../../../runtime/state.js';

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
    const all = await listContainers(runtimeContext(ctx.env));
    const shown = ctx.flags.all ? all : all.filter((c) => c.status === 'running' || c.status === 'paused');
    if (ctx.flags.quiet) {
      for (const c of shown) ctx.stdout.write(`${c.id}\n`);
      return 0;
    }
    if (ctx.flags.format === 'json') {
      for (const c of shown) ctx.stdout.write(`${JSON.stringify(c)}\n`);
      return 0;
    }
    const rows = [['CONTAINER ID', 'COMMAND', 'CREATED', 'STATUS', 'NAMES']];
    for (const c of shown) {
      const status = c.status === 'exited' ? `Exited (${c.exitCode})${c.oomKilled ? ' OOM' : ''}` : c.status === 'running' ? 'Up' : c.status === 'paused' ? 'Up (Paused)' : 'Created';
      rows.push([c.id.slice(0, 12), JSON.stringify(c.args.join(' ').slice(0, 20)), c.createdAt.replace('T', ' ').slice(0, 19), status, c.name]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) ctx.stdout.write(`${r.map((v, i) => v.padEnd(widths[i]!)).join('   ').trimEnd()}\n`);
    return 0;
  },
};
