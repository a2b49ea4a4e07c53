import type { Command } from '../../command.js';

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
    const str = (k: string): string | undefined => (typeof ctx.flags[k] === 'string' && ctx.flags[k] !== '' ? (ctx.flags[k] as string) : undefined);
    const subnet = str('subnet');
    const gateway = str('gateway');
    const ipRange = str('ip-range');
    const name = await (
      await ctx.backend.networks()
    ).create({
      name: ctx.args[0]!,
      internal: ctx.flags.internal === true,
      labels: Array.isArray(ctx.flags.label) ? ctx.flags.label : [],
      ...(subnet ? { subnet } : {}),
      ...(gateway ? { gateway } : {}),
      ...(ipRange ? { ipRange } : {}),
    });
    ctx.stdout.write(`${name}\n`);
    return 0;
  },
};
