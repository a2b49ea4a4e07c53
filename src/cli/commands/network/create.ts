import type { Command } from '../../command.js';
import { ensureNetwork, openNetlink } from '../../../network/index.js';
import { berthRoot } from '../../../util/berth-dirs.js';

export const command: Command = {
  usage: 'berth network create [OPTIONS] NETWORK',
  summary: 'Create a network (for `external: true` in compose files)',
  flags: [
    { name: 'subnet', type: 'string', value: 'CIDR', help: 'Subnet, e.g. 172.28.0.0/16 (default: a free one from the pool)' },
    { name: 'gateway', type: 'string', value: 'IP', help: 'Gateway address inside the subnet' },
    { name: 'ip-range', type: 'string', value: 'CIDR', help: 'Allocate container addresses from this sub-range' },
    { name: 'internal', type: 'bool', help: 'Restrict external access to the network' },
    { name: 'label', type: 'list', value: 'KEY=VALUE', help: 'Set metadata on the network' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const root = berthRoot(ctx.env);
    const str = (k: string): string | undefined => (typeof ctx.flags[k] === 'string' ? (ctx.flags[k] as string) : undefined);
    const labels = Object.fromEntries((Array.isArray(ctx.flags.label) ? ctx.flags.label : []).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
    const subnet = str('subnet');
    const gateway = str('gateway');
    const ipRange = str('ip-range');
    const netlink = openNetlink();
    try {
      const rec = await ensureNetwork({ root, netlink }, {
        name: ctx.args[0]!, project: '', internal: ctx.flags.internal === true, labels,
        ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}), ...(ipRange ? { ipRange } : {}),
      });
      ctx.stdout.write(`${rec.name}\n`);
    } finally {
      await netlink.close();
    }
    return 0;
  },
};
