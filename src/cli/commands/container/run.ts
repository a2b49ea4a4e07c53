import type { Command, CommandContext } from '../../command.js';
import { buildRunConfig, CONTAINER_FLAGS } from './run-config.js';

export const command: Command = {
  usage: 'berth container run [OPTIONS] IMAGE [COMMAND] [ARG...]  |  berth container run [OPTIONS] --rootfs DIR COMMAND [ARG...]',
  summary: 'Run a command in a new container (outside any compose project)',
  stopAtPositional: true,
  args: { min: 1 },
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Run in the background and print the container ID' },
    ...CONTAINER_FLAGS,
  ],
  run,
};

/**
 * Attached runs (no -d) end in runInForeground: this process becomes the container's monitor
 * and exits with its code, unless an image hold must be released after an attached --rm run
 * (the shim knows no image store): then the CLI spawns the shim and waits, as -d does.
 */
async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  const detach = f.detach === true;
  // --rootfs never holds an image: its attached runs always go foreground (nothing loaded for the other path)
  const foreground = !detach && (f.rootfs !== undefined || f.rm !== true);
  const runtime = Promise.all([
    foreground ? import('../../../runtime/foreground.js') : import('../../../runtime/create.js'),
    import('../../../runtime/context.js'),
  ]);
  runtime.catch(() => undefined); // awaited below; a usage error may come first
  const { config, image } = await buildRunConfig(ctx, 'run');
  const [start, { runtimeContext }] = await runtime;
  const id = config.id;
  const rt = runtimeContext(ctx.env);
  // A detached --rm container is removed by its shim, which knows no image store: no hold.
  const hold = image !== undefined && !(detach && config.autoRemove);
  const { imageHold } = hold ? await import('./image-hold.js') : { imageHold: undefined };
  if (imageHold) await imageHold(ctx, image!.id, id, true);
  const onWarning = (w: string): void => void ctx.stderr.write(`berth: warning: ${w}\n`);
  try {
    if ('runInForeground' in start) return await start.runInForeground(rt, config, { onWarning });
    await start.createContainer(rt, config, { attach: !detach, start: true, onWarning });
  } catch (err) {
    if (imageHold) await imageHold(ctx, image!.id, id, false).catch(() => undefined);
    throw err;
  }
  if (detach) {
    ctx.stdout.write(`${id}\n`);
    return 0;
  }
  const onAbort = (): void => void import('../../../runtime/kill.js').then(({ killContainer }) => killContainer(rt, id, 'SIGTERM')).catch(() => undefined);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const { waitContainer } = await import('../../../runtime/wait.js');
  const exit = await waitContainer(rt, id);
  ctx.signal.removeEventListener('abort', onAbort);
  if (imageHold && config.autoRemove) await imageHold(ctx, image!.id, id, false);
  if (exit.oomKilled) ctx.stderr.write(`berth: container ${id} was killed: out of memory\n`);
  return exit.exitCode;
}
