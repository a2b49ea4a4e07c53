import type { Command } from '../../command.js';

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
    const images = await (await ctx.backend.images()).load(file, ctx.signal);
    for (const img of images) {
      if (img.names.length === 0) ctx.stdout.write(`Loaded image ID: ${img.id}\n`);
      for (const t of img.names) ctx.stdout.write(`Loaded image: ${t}\n`);
    }
    return 0;
  },
};
