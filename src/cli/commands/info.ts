import type { Command } from '../command.js';
import { str } from './compose-shared.js';
import { berthVersion } from '../../util/version.js';

export const command: Command = {
  usage: 'berth info [OPTIONS]',
  summary: 'Display system-wide information (cgroups, networking backends, state root)',
  args: { min: 0, max: 0 },
  flags: [{ name: 'format', short: 'f', type: 'string', value: 'FORMAT', help: 'Format the output: text (default) or json' }],
  async run(ctx) {
    const info = await (await ctx.backend.engine()).info();
    if (str(ctx, 'format') === 'json') {
      ctx.stdout.write(`${JSON.stringify({ version: berthVersion(), ...info })}\n`);
      return 0;
    }
    const lines = [
      `Version:          ${berthVersion()}`,
      `State root:       ${info.stateRoot}`,
      `Run dir:          ${info.runDir}`,
      `Cgroups:          ${info.cgroupVersion}`,
      `Kernel:           ${info.kernel}`,
      `Containers:       ${info.containers.total} (${info.containers.running} running)`,
      'Networking:',
      ...Object.entries(info.network).map(([k, v]) => `  ${`${k}:`.padEnd(16)}${String(v)}`),
    ];
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
