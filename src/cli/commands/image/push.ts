import type { Command } from '../../command.js';
import { pushImage } from '../../../image/push.js';
import { parseReference } from '../../../image/reference.js';
import { progressPrinter, registryConfigFor, storeFor } from './shared.js';

export const command: Command = {
  usage: 'berth image push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  flags: [{ name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const ref = parseReference(ctx.args[0]!);
    const quiet = ctx.flags.quiet === true;
    if (!quiet) ctx.stdout.write(`The push refers to repository [${ref.registry}/${ref.repository}]\n`);
    const r = await pushImage(storeFor(ctx), ctx.args[0]!, { signal: ctx.signal, registryConfig: registryConfigFor(ctx), onProgress: progressPrinter(ctx.stdout, quiet) });
    ctx.stdout.write(quiet ? `${ref.canonical}\n` : `${ref.tag ?? 'latest'}: digest: ${r.digest} size: ${r.size}\n`);
    return 0;
  },
};
