import type { Command } from '../../command.js';
import { BerthError } from '../../../errors.js';
import { inspectNetwork, removeNetworkOrThrow } from '../../../network/index.js';
import { berthRoot } from '../../../util/berth-dirs.js';

export const command: Command = {
  usage: 'berth network rm NETWORK [NETWORK...]',
  summary: 'Remove one or more networks',
  flags: [{ name: 'force', short: 'f', type: 'bool', help: 'Also detach containers still recorded on it' }],
  args: { min: 1 },
  async run(ctx) {
    const root = berthRoot(ctx.env);
    for (const name of ctx.args) {
      if (!inspectNetwork({ root }, name)) throw new BerthError('network/not-found', `network ${name} not found`);
      await removeNetworkOrThrow({ root }, name, { force: ctx.flags.force === true });
      ctx.stdout.write(`${name}\n`);
    }
    return 0;
  },
};
