import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { engineFor, int, sourceOf, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth port [OPTIONS] SERVICE PRIVATE_PORT',
  summary: 'Print the public port for a port binding',
  args: { min: 2, max: 2 },
  flags: [
    { name: 'protocol', type: 'string', value: 'PROTO', help: 'tcp or udp (default "tcp")' },
    { name: 'index', type: 'int', value: 'N', help: 'Index of the container if service has multiple replicas' },
  ],
  async run(ctx) {
    const [service, raw] = ctx.args as [string, string];
    const privatePort = Number(raw);
    if (!Number.isInteger(privatePort) || privatePort <= 0 || privatePort > 65535) throw new UsageError(`invalid port "${raw}"`);
    const protocol = str(ctx, 'protocol') ?? 'tcp';
    if (protocol !== 'tcp' && protocol !== 'udp') throw new UsageError(`invalid --protocol "${protocol}": expected tcp or udp`);
    const engine = await engineFor(ctx);
    const index = int(ctx, 'index');
    const r = await engine.port({ source: sourceOf(ctx), service, privatePort, protocol, ...(index !== undefined ? { index } : {}), signal: ctx.signal });
    if (!r) {
      ctx.stderr.write(`berth: no port ${privatePort}/${protocol} published for service ${service}\n`);
      return 1;
    }
    ctx.stdout.write(`${r}\n`);
    return 0;
  },
};
