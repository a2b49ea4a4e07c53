import type { Command } from '../../command.js';
import { BerthError } from '../../../errors.js';
import { inspectNetwork } from '../../../network/index.js';
import { berthRoot } from '../../../util/berth-dirs.js';

export const command: Command = {
  usage: 'berth network inspect NETWORK [NETWORK...]',
  summary: 'Display detailed information on one or more networks',
  flags: [],
  args: { min: 1 },
  async run(ctx) {
    const root = berthRoot(ctx.env);
    const out = ctx.args.map((name) => {
      const v = inspectNetwork({ root }, name);
      if (!v) throw new BerthError('network/not-found', `network ${name} not found`, { hint: 'list networks with `berth network ls`' });
      return { ...v.record, driver: 'bridge', endpoints: v.endpoints, leases: Object.fromEntries(v.leases) };
    });
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
