import type { Command } from '../command.js';
import { bool, engineFor, sourceOf, str, table } from './compose-shared.js';
import { UsageError } from '../../errors.js';

function size(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}kB`;
  return `${n}B`;
}

export const command: Command = {
  usage: 'berth images [OPTIONS] [SERVICE...]',
  summary: 'List images used by the created containers',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display IDs' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default) or json' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`invalid --format "${format}": expected table or json`);
    const engine = await engineFor(ctx);
    const rows = await engine.images({ source: sourceOf(ctx), services: ctx.args, signal: ctx.signal });
    if (bool(ctx, 'quiet')) ctx.stdout.write([...new Set(rows.map((r) => r.id))].map((id) => `${id}\n`).join(''));
    else if (format === 'json') ctx.stdout.write(`${JSON.stringify(rows)}\n`);
    else
      ctx.stdout.write(
        table(
          ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
          rows.map((r) => [r.container, r.repository, r.tag, r.id, size(r.size)]),
        ),
      );
    return 0;
  },
};
