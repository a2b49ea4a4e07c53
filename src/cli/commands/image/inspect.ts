import type { Command } from '../../command.js';
import { inspectImage } from '../../../image/list.js';
import { familiarString } from '../../../image/reference.js';
import { describe } from '../../../errors.js';
import { storeFor } from './shared.js';

export const command: Command = {
  usage: 'berth image inspect [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Display detailed information on one or more images',
  flags: [{ name: 'format', short: 'f', type: 'string', value: 'FORMAT', help: 'Format: json (default) | {{.Id}}-style single field (Id, Config, RepoTags, ...)' }],
  args: { min: 1 },
  async run(ctx) {
    const store = storeFor(ctx);
    const out: unknown[] = [];
    let code = 0;
    for (const name of ctx.args) {
      try {
        const i = await inspectImage(store, name);
        out.push({
          Id: i.id,
          RepoTags: i.repoTags.map(familiarString),
          RepoDigests: i.repoDigests.map(familiarString),
          Created: i.created,
          Architecture: i.platform.architecture,
          Os: i.platform.os,
          ...(i.platform.variant ? { Variant: i.platform.variant } : {}),
          Size: i.size,
          Config: i.config,
          RootFS: { Type: 'layers', Layers: i.diffIds },
          GraphDriver: { Name: 'overlay', Data: { LowerDirs: i.layerDirs } },
          ...(typeof i.raw.author === 'string' ? { Author: i.raw.author } : {}),
        });
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
