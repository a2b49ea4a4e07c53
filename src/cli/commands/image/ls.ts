import type { Command } from '../../command.js';
import { humanAge, humanSize, shortId } from './shared.js';
import { table } from '../../table.js';

export const command: Command = {
  usage: 'berth image ls [OPTIONS]',
  summary: 'List images',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
    { name: 'all', short: 'a', type: 'bool', help: 'Show all images (default hides none: berth keeps no intermediate images)' },
    { name: 'digests', type: 'bool', help: 'Show digests' },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'format', type: 'string', value: 'FORMAT', help: 'Format output: table | json' },
  ],
  args: { min: 0, max: 1 },
  async run(ctx) {
    const rows = await (await ctx.backend.images()).list(ctx.args[0]);
    if (ctx.flags.format === 'json') {
      for (const r of rows) ctx.stdout.write(`${JSON.stringify({ Repository: r.repository, Tag: r.tag, Digest: r.digest, ID: shortId(r.id), CreatedAt: r.created, Size: humanSize(r.size) })}\n`);
      return 0;
    }
    const noTrunc = ctx.flags['no-trunc'] === true;
    const id = (d: string): string => (noTrunc ? d : shortId(d));
    if (ctx.flags.quiet) {
      for (const i of new Set(rows.map((r) => id(r.id)))) ctx.stdout.write(`${i}\n`);
      return 0;
    }
    const headers = ['REPOSITORY', 'TAG', ...(ctx.flags.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
    const cells = rows.map((r) => [r.repository, r.tag, ...(ctx.flags.digests ? [r.digest] : []), id(r.id), humanAge(r.created), humanSize(r.size)]);
    ctx.stdout.write(table(headers, cells));
    return 0;
  },
};
