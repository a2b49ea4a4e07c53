import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';

export const command: Command = {
  usage: 'berth container logs [OPTIONS] CONTAINER',
  summary: 'Fetch the logs of a container',
  args: { min: 1, max: 1 },
  flags: [
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'tail', short: 'n', type: 'string', value: 'N', help: 'Number of lines to show from the end of the logs (default all)' },
    { name: 'since', type: 'string', value: 'TIME', help: 'Show logs since a timestamp (RFC 3339)' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
  ],
  async run(ctx) {
    const tailRaw = ctx.flags.tail as string | undefined;
    if (tailRaw !== undefined && tailRaw !== 'all' && !/^\d+$/.test(tailRaw)) throw new UsageError(`invalid --tail ${tailRaw}`);
    const since = ctx.flags.since;
    const containers = await ctx.backend.containers();
    // the container's output: the command's data
    await containers.logs(ctx.args[0]!, {
      follow: ctx.flags.follow === true,
      ...(tailRaw === undefined || tailRaw === 'all' ? {} : { tail: Number(tailRaw) }),
      ...(typeof since === 'string' ? { since } : {}),
      signal: ctx.signal,
      onLine: (l) => (l.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(ctx.flags.timestamps ? `${l.time} ${l.text}` : l.text),
    });
    return 0;
  },
};
