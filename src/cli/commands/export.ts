import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { engineFor, int, sourceOf, str } from './compose-shared.js';
const { resolve } = process.getBuiltinModule('node:path');

export const command: Command = {
  usage: 'berth export [OPTIONS] SERVICE',
  summary: "Export a service container's filesystem as a tar archive",
  args: { min: 1, max: 1 },
  flags: [
    { name: 'index', type: 'int', value: 'N', help: 'index of the container if service has multiple replicas' },
    { name: 'output', short: 'o', type: 'string', value: 'FILE', help: 'Write to a file, instead of STDOUT' },
  ],
  async run(ctx) {
    const file = str(ctx, 'output');
    if (file === undefined && ctx.stdout.isTTY) throw new UsageError('cowardly refusing to save to a terminal', { hint: 'use -o FILE or redirect stdout' });
    const index = int(ctx, 'index');
    await (
      await engineFor(ctx)
    ).export({
      source: sourceOf(ctx),
      service: ctx.args[0]!,
      ...(index !== undefined ? { index } : {}),
      ...(file !== undefined ? { file: resolve(ctx.cwd, file) } : { stdout: ctx.stdout }),
      signal: ctx.signal,
    });
    return 0;
  },
};
