import type { Command } from '../../command.js';
import { buildRunConfig, CONTAINER_FLAGS } from './run-config.js';

export const command: Command = {
  usage: 'berth container create [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container create [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Create a new container (started later by `berth container start`)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: CONTAINER_FLAGS,
  async run(ctx) {
    const [{ config, image }, { createContainer }, { runtimeContext }] = await Promise.all([
      buildRunConfig(ctx, 'create'),
      import('../../../runtime/create.js'),
      import('../../../runtime/context.js'),
    ]);
    const rt = runtimeContext(ctx.env);
    // As `run -d --rm`: a --rm container is removed by its shim, which knows no image store: no hold.
    const { imageHold } = image && !config.autoRemove ? await import('./image-hold.js') : { imageHold: undefined };
    if (imageHold) await imageHold(ctx, image!.id, config.id, true);
    try {
      // the created container waits at its start gate; its output goes to the log
      await createContainer(rt, config, { attach: false, onWarning: (w) => void ctx.stderr.write(`berth: warning: ${w}\n`) });
    } catch (err) {
      if (imageHold) await imageHold(ctx, image!.id, config.id, false).catch(() => undefined);
      throw err;
    }
    ctx.stdout.write(`${config.id}\n`);
    return 0;
  },
};
