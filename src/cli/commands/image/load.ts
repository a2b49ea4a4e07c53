import type { Command } from '../../command.js';
import { loadArchive } from '../../../image/archive-load.js';
import { familiarString } from '../../../image/reference.js';
import { storeFor } from './shared.js';

export const command: Command = {
  usage: 'berth image load [OPTIONS]',
  summary: 'Load an image from a tar archive (docker save or OCI layout)',
  flags: [
    { name: 'input', short: 'i', type: 'string', value: 'FILE', help: 'Read from tar archive file (optionally gzip/zstd compressed)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the load output' },
  ],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const file = typeof ctx.flags.input === 'string' ? ctx.flags.input : '/dev/stdin';
    const images = await loadArchive(storeFor(ctx), file, { signal: ctx.signal });
    for (const img of images) {
      if (img.repoTags.length === 0) ctx.stdout.write(`Loaded image ID: ${img.id}\n`);
      for (const t of img.repoTags) ctx.stdout.write(`Loaded image: ${familiarString(t)}\n`);
    }
    return 0;
  },
};
