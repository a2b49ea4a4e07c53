import type { Command } from '../command.js';
import { bool, engineFor, sourceOf, str, table } from './compose-shared.js';
import { UsageError } from '../../errors.js';

function mib(n: number): string {
  return `${(n / (1 << 20)).toFixed(2)}MiB`;
}

export const command: Command = {
  usage: 'berth stats [OPTIONS] [SERVICE...]',
  summary: 'Display a live stream of container(s) resource usage statistics (from cgroups)',
  flags: [
    { name: 'no-stream', type: 'bool', help: 'Disable streaming stats and only pull the first result' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default) or json' },
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'no-trunc', type: 'bool', help: "Do not truncate output (berth's container ids are always printed whole)" },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`invalid --format "${format}": expected table or json`);
    const engine = await engineFor(ctx);
    do {
      const rows = await engine.stats({ source: sourceOf(ctx), services: ctx.args, all: bool(ctx, 'all'), signal: ctx.signal });
      if (format === 'json') ctx.stdout.write(`${JSON.stringify(rows)}\n`);
      else
        ctx.stdout.write(
          table(
            ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'PIDS'],
            rows.map((r) => [r.id, r.container, `${r.cpuPercent.toFixed(2)}%`, `${mib(r.memoryBytes)} / ${r.memoryLimitBytes ? mib(r.memoryLimitBytes) : 'unlimited'}`, String(r.pids)]),
          ),
        );
      if (bool(ctx, 'no-stream') || ctx.signal.aborted) break;
      await new Promise((r) => setTimeout(r, 800));
    } while (!ctx.signal.aborted);
    return 0;
  },
};
