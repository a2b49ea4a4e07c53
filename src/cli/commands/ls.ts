import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, str, table } from './compose-shared.js';

export const command: Command = {
  usage: 'berth ls [OPTIONS]',
  summary: 'List running compose projects',
  args: { min: 0, max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all stopped Compose projects' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display project names' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default) or json' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`invalid --format "${format}": expected table or json`);
    const engine = await engineFor(ctx);
    const rows = await engine.ls({ all: bool(ctx, 'all') });
    if (bool(ctx, 'quiet')) ctx.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
    else if (format === 'json') ctx.stdout.write(`${JSON.stringify(rows.map((r) => ({ Name: r.name, Status: r.status, ConfigFiles: r.configFiles.join(',') })))}\n`);
    else ctx.stdout.write(table(['NAME', 'STATUS', 'CONFIG FILES'], rows.map((r) => [r.name, r.status, r.configFiles.join(',')])));
    return 0;
  },
};
