import type { Command } from '../../command.js';
import { describe } from '../../../errors.js';

export const command: Command = {
  usage: 'berth image inspect [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Display detailed information on one or more images',
  flags: [{ name: 'format', short: 'f', type: 'string', value: 'FORMAT', help: 'Format: json (default) | {{.Id}}-style single field (Id, Config, RepoTags, ...)' }],
  args: { min: 1 },
  async run(ctx) {
    const images = await ctx.backend.images();
    const out: unknown[] = [];
    let code = 0;
    for (const name of ctx.args) {
      try {
        out.push(await images.inspect(name));
      } catch (err) {
        ctx.stderr.write(`berth: ${describe(err)}\n`);
        code = 1;
      }
    }
    const format = ctx.flags.format;
    if (typeof format === 'string' && format !== 'json') {
      const m = /^\{\{\s*(?:json\s+)?\.([A-Za-z.]+)\s*\}\}$/.exec(format);
      for (const o of out) {
        let v: unknown = o;
        for (const k of (m?.[1] ?? '').split('.').filter(Boolean)) v = (v as Record<string, unknown> | undefined)?.[k];
        ctx.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
      }
    } else ctx.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
    return code;
  },
};
