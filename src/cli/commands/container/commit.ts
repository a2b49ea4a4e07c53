// berth container commit: the container's changes as the top layer of a new image over the
// image it runs on (the container service's commit).
import type { Command } from '../../command.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const command: Command = {
  usage: 'berth container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  summary: "Create a new image from a container's changes",
  args: { min: 1, max: 2 },
  flags: [
    {
      name: 'change',
      short: 'c',
      type: 'list',
      value: 'INSTRUCTION',
      help: 'Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL)',
    },
    { name: 'message', short: 'm', type: 'string', value: 'MESSAGE', help: 'Commit message' },
    { name: 'author', short: 'a', type: 'string', value: 'AUTHOR', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'pause', short: 'p', type: 'bool', help: 'Pause the container during commit (default true; --pause=false to not)' },
  ],
  async run(ctx) {
    const f = ctx.flags;
    const containers = await ctx.backend.containers();
    const id = await containers.commit({
      container: ctx.args[0]!,
      ...(ctx.args[1] ? { ref: ctx.args[1] } : {}),
      changes: list(f.change),
      ...(typeof f.message === 'string' ? { message: f.message } : {}),
      ...(typeof f.author === 'string' ? { author: f.author } : {}),
      pause: f.pause !== false,
    });
    ctx.stdout.write(`${id}\n`);
    return 0;
  },
};
