import type { Command } from '../../command.js';
import { pullImage } from '../../../image/pull.js';
import { parsePlatform } from '../../../image/manifest.js';
import { parseReference } from '../../../image/reference.js';
import { progressPrinter, registryConfigFor, storeFor } from './shared.js';

export const command: Command = {
  usage: 'berth image pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
    { name: 'platform', type: 'string', value: 'PLATFORM', help: 'Pull for this platform (os/arch[/variant])' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const name = ctx.args[0]!;
    const ref = parseReference(name);
    const quiet = ctx.flags.quiet === true;
    if (!quiet) ctx.stdout.write(`${ref.tag ?? ref.digest}: Pulling from ${ref.repository.replace(/^library\//, 'library/')}\n`);
    let status = 'pulled';
    const printer = progressPrinter(ctx.stdout, quiet);
    const img = await pullImage(storeFor(ctx), name, {
      signal: ctx.signal,
      registryConfig: registryConfigFor(ctx),
      ...(typeof ctx.flags.platform === 'string' ? { platform: parsePlatform(ctx.flags.platform) } : {}),
      onProgress: (e) => {
        if (e.type === 'done') status = e.status;
        printer(e);
      },
    });
    if (!quiet) {
      ctx.stdout.write(`Digest: ${img.digest}\n`);
      ctx.stdout.write(status === 'up-to-date' ? `Status: Image is up to date for ${ref.familiar}\n` : `Status: Downloaded newer image for ${ref.familiar}\n`);
    }
    ctx.stdout.write(`${ref.canonical}\n`);
    return 0;
  },
};
