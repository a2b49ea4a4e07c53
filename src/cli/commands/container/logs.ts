import type { Command } from '../../command.js';
import { UsageError } from '../../../errors.js';
import { runtimeContext } from '../../../runtime/context.js';
import { readLogs } from '../../../runtime/logs.js';
import { resolveContainer } from '../../../runtime/state.js';

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
    const rt = runtimeContext(ctx.env);
    const id = await resolveContainer(rt, ctx.args[0]!);
    const tailRaw = ctx.flags.tail as string | undefined;
    if (tailRaw !== undefined && tailRaw !== 'all' && !/^\d+$/.test(tailRaw)) throw new UsageError(`invalid --tail ${tailRaw}`);
    const tail = tailRaw === undefined || tailRaw === 'all' ? undefined : Number(tailRaw);
    for await (const l of readLogs(rt, id, { follow: ctx.flags.follow === true, tail, since: ctx.flags.since as string | undefined, signal: ctx.signal })) {
      (l.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(ctx.flags.timestamps ? `${l.time} ${l.text}` : l.text);
    }
    return 0;
  },
};
