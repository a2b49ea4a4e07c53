import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';
import { eachContainer } from './each.js';
import { startOrRerunContainer } from '../../../runtime/start-again.js';

export const command: Command = {
  usage: 'berth container start [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Start one or more created or stopped containers',
  args: { min: 1 },
  flags: [{ name: 'attach', short: 'a', type: 'bool', help: "Attach STDOUT/STDERR (until the container exits; its exit code is berth's)" }],
  async run(ctx) {
    if (ctx.flags.attach !== true) {
      return eachContainer(ctx, async (rt, id, ref) => {
        await startOrRerunContainer(rt, id);
        return ref;
      });
    }
    if (ctx.args.length > 1) throw new UsageError('you cannot start and attach multiple containers at once');
    const [{ runtimeContext }, { resolveContainer }, { startAttached }, { killContainer }] = await Promise.all([
      import('../../../runtime/context.js'),
      import('../../../runtime/state.js'),
      import('../../../runtime/start-attached.js'),
      import('../../../runtime/kill.js'),
    ]);
    const rt = runtimeContext(ctx.env);
    const id = await resolveContainer(rt, ctx.args[0]!);
    // docker's --sig-proxy: a ^C (or SIGTERM) goes to the container; we stay attached until it exits
    const proxy = (): void => {
      const sig = /SIGTERM/.test(String((ctx.signal.reason as Error | undefined)?.message)) ? 'SIGTERM' : 'SIGINT';
      killContainer(rt, id, sig).catch(() => undefined);
    };
    ctx.signal.addEventListener('abort', proxy, { once: true });
    try {
      const exit = await startAttached(rt, id, { onLine: (l) => (l.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(l.text) });
      return exit.exitCode;
    } finally {
      ctx.signal.removeEventListener('abort', proxy);
    }
  },
};
