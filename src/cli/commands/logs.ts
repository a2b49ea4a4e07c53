import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, colorFor, engineFor, int, parseTime, sourceOf, str } from './compose-shared.js';
import { LineBatch, LogFormatter } from '../../ui/index.js';

export const command: Command = {
  usage: 'berth logs [OPTIONS] [SERVICE...]',
  summary: 'View output from containers',
  flags: [
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'tail', short: 'n', type: 'string', value: 'LINES', help: 'Number of lines to show from the end of the logs for each container (or "all")' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
    { name: 'since', type: 'string', value: 'TIME', help: 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)' },
    { name: 'until', type: 'string', value: 'TIME', help: 'Show logs before a timestamp or relative time' },
    { name: 'no-color', type: 'bool', help: 'Produce monochrome output' },
    { name: 'no-log-prefix', type: 'bool', help: "Don't print prefix in logs" },
    { name: 'index', type: 'int', value: 'N', help: 'index of the container if service has multiple replicas' },
  ],
  async run(ctx) {
    const tailRaw = str(ctx, 'tail');
    let tail: number | undefined;
    if (tailRaw !== undefined && tailRaw !== 'all') {
      if (!/^\d+$/.test(tailRaw)) throw new UsageError(`invalid --tail "${tailRaw}": expected a number or "all"`);
      tail = Number(tailRaw);
    }
    const color = colorFor(ctx, ctx.stdout.isTTY);
    const fmt = new LogFormatter({ color, timestamps: bool(ctx, 'timestamps'), prefix: !bool(ctx, 'no-log-prefix') });
    const engine = await engineFor(ctx);
    const since = parseTime(str(ctx, 'since'));
    const until = parseTime(str(ctx, 'until'));
    const index = int(ctx, 'index');
    const out = new LineBatch(ctx.stdout);
    try {
      await engine.logs({
        source: sourceOf(ctx),
        services: ctx.args,
        follow: bool(ctx, 'follow'),
        ...(tail !== undefined ? { tail } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(index !== undefined ? { index } : {}),
        onLog: (l) => out.add(fmt.format(l)),
        signal: ctx.signal,
      });
    } finally {
      out.flush();
    }
    return 0;
  },
};
