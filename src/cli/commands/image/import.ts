import type { Command } from '../../command.js';

export const command: Command = {
  usage: 'berth image import [OPTIONS] file|- [REPOSITORY[:TAG]]',
  summary: 'Import the contents from a tarball to create a filesystem image',
  flags: [
    {
      name: 'change',
      short: 'c',
      type: 'list',
      value: 'INSTRUCTION',
      help: 'Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL)',
    },
    { name: 'message', short: 'm', type: 'string', value: 'MESSAGE', help: 'Set commit message for imported image' },
  ],
  args: { min: 1, max: 2 },
  async run(ctx) {
    const file = ctx.args[0] === '-' ? '/dev/stdin' : ctx.args[0]!;
    const id = await (
      await ctx.backend.images()
    ).import(file, {
      ...(ctx.args[1] ? { ref: ctx.args[1] } : {}),
      changes: Array.isArray(ctx.flags.change) ? ctx.flags.change : [],
      ...(typeof ctx.flags.message === 'string' ? { message: ctx.flags.message } : {}),
      signal: ctx.signal,
    });
    ctx.stdout.write(`${id}\n`);
    return 0;
  },
};
