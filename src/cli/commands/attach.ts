import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { bool, engineFor, int, sourceOf, str } from './compose-shared.js';

export const command: Command = {
  usage: 'berth attach [OPTIONS] SERVICE',
  summary: "Attach local standard input, output, and error streams to a service's running container",
  args: { min: 1, max: 1 },
  flags: [
    { name: 'index', type: 'int', value: 'N', help: 'index of the container if service has multiple replicas' },
    { name: 'sig-proxy', type: 'bool', help: 'Proxy all received signals to the process (default true)' },
    { name: 'no-stdin', type: 'bool', help: 'Do not attach STDIN' },
    { name: 'detach-keys', type: 'string', value: 'KEYS', help: 'Override the key sequence for detaching from a container' },
  ],
  async run(ctx) {
    // berth's containers read no terminal input: their standard input is not kept open
    if (str(ctx, 'detach-keys') !== undefined && !bool(ctx, 'no-stdin')) {
      throw new UsageError('attach: --detach-keys needs standard input, which berth containers do not keep', { hint: 'detach with Ctrl-C and --sig-proxy=false' });
    }
    const engine = await engineFor(ctx);
    const index = int(ctx, 'index');
    return engine.attach({
      source: sourceOf(ctx),
      service: ctx.args[0]!,
      ...(index !== undefined ? { index } : {}),
      sigProxy: ctx.flags['sig-proxy'] !== false,
      stdout: ctx.stdout,
      stderr: ctx.stderr,
      signal: ctx.signal,
    });
  },
};
