import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';
import { eachContainer } from './each.js';

export const command: Command = {
  usage: 'berth container start [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Start one or more created or stopped containers',
  args: { min: 1 },
  flags: [{ name: 'attach', short: 'a', type: 'bool', help: "Attach STDOUT/STDERR (until the container exits; its exit code is berth's)" }],
  async run(ctx) {
    if (ctx.flags.attach !== true) {
      return eachContainer(ctx, async (containers, ref) => {
        await containers.start(ref);
        return ref;
      });
    }
    if (ctx.args.length > 1) throw new UsageError('you cannot start and attach multiple containers at once');
    const containers = await ctx.backend.containers();
    // the container's own output: the command's data
    return containers.startAttached(ctx.args[0]!, { onLine: (l) => (l.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(l.text), signal: ctx.signal });
  },
};
