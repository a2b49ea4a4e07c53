import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, list, str, table } from './compose-shared.js';

/** `--filter KEY=VALUE` (repeatable): docker's filter syntax; ls accepts `name` only, as compose. */
export function lsFilters(values: readonly string[]): string[] {
  return values.map((v) => {
    const i = v.indexOf('=');
    if (i < 0) throw new UsageError(`bad format of filter (expected name=value)`);
    const key = v.slice(0, i).trim().toLowerCase();
    if (key !== 'name') throw new UsageError(`invalid filter '${key}'`);
    return v.slice(i + 1);
  });
}

export const command: Command = {
  usage: 'berth ls [OPTIONS]',
  summary: 'List running compose projects',
  args: { min: 0, max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all stopped Compose projects' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display project names' },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format the output: table (default) or json' },
    { name: 'filter', type: 'list', value: 'FILTER', help: 'Filter output based on conditions provided (name=NAME: the name, or a regular expression in it)' },
  ],
  async run(ctx) {
    const format = str(ctx, 'format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`invalid --format "${format}": expected table or json`);
    const names = lsFilters(list(ctx, 'filter'));
    const engine = await engineFor(ctx);
    const rows = await engine.ls({ all: bool(ctx, 'all'), ...(names.length > 0 ? { names } : {}) });
    if (bool(ctx, 'quiet')) ctx.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
    else if (format === 'json') ctx.stdout.write(`${JSON.stringify(rows.map((r) => ({ Name: r.name, Status: r.status, ConfigFiles: r.configFiles.join(',') })))}\n`);
    else
      ctx.stdout.write(
        table(
          ['NAME', 'STATUS', 'CONFIG FILES'],
          rows.map((r) => [r.name, r.status, r.configFiles.join(',')]),
        ),
      );
    return 0;
  },
};
