import type { Command } from '../../command.js';
import { listImages } from '../../../image/list.js';
import { familiarString } from '../../../image/reference.js';
import { humanAge, humanSize, shortId, storeFor } from './shared.js';
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
    const filter = ctx.args[0];
    const images = await listImages(storeFor(ctx));
    const rows: { repo: string; tag: string; digest: string; id: string; created: string | undefined; size: number }[] = [];
    for (const img of images) {
      const names = img.repoTags.length ? img.repoTags.map(familiarString) : ['<none>:<none>'];
      for (const n of names) {
        const at = n.lastIndexOf(':');
        const repo = n.slice(0, at);
        if (filter && repo !== filter && n !== filter) continue;
        const digest = img.repoDigests.find((d) => familiarString(d).startsWith(`${repo}@`))?.split('@')[1] ?? '<none>';
        rows.push({ repo, tag: n.slice(at + 1), digest, id: img.id, created: img.created, size: img.size });
      }
    }
    if (ctx.flags.format === 'json') {
      for (const r of rows) ctx.stdout.write(`${JSON.stringify({ Repository: r.repo, Tag: r.tag, Digest: r.digest, ID: shortId(r.id), CreatedAt: r.created, Size: humanSize(r.size) })}\n`);
      return 0;
    }
    const noTrunc = ctx.flags['no-trunc'] === true;
    const id = (d: string): string => (noTrunc ? d : shortId(d));
    if (ctx.flags.quiet) {
      for (const i of new Set(rows.map((r) => id(r.id)))) ctx.stdout.write(`${i}\n`);
      return 0;
    }
    const headers = ['REPOSITORY', 'TAG', ...(ctx.flags.digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
    const cells = rows.map((r) => [r.repo, r.tag, ...(ctx.flags.digests ? [r.digest] : []), id(r.id), humanAge(r.created), humanSize(r.size)]);
    ctx.stdout.write(table(headers, cells));
    return 0;
  },
};
