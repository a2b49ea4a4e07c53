// berth container commit: the container's rw layer (its overlay upper dir, without the init
// layer's files) becomes the top layer of a new image over the image it runs on. runtime and
// image are peers that never import each other, so this command is the glue between them.
// A container run from a plain rootfs dir (--rootfs DIR) has no parent image: refused, with
// a hint (import the dir as an image first), rather than silently importing a whole rootfs.
import type { Command } from '../../command.js';
import { BerthError } from '../../../errors.js';
import { parseChanges } from '../../../image/changes.js';
import { commitLayer } from '../../../image/commit.js';
import { resolveLocalImage } from '../../../image/list.js';
import { commitSource } from '../../../runtime/commit-source.js';
import { runtimeContext } from '../../../runtime/context.js';
import { pauseContainer, resumeContainer } from '../../../runtime/pause.js';
import { resolveContainer } from '../../../runtime/state.js';
import { storeFor } from '../image/shared.js';
import { strings } from './parse.js';

export const command: Command = {
  usage: 'berth container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  summary: 'Create a new image from a container\'s changes',
  args: { min: 1, max: 2 },
  flags: [
    { name: 'change', short: 'c', type: 'list', value: 'INSTRUCTION', help: 'Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL)' },
    { name: 'message', short: 'm', type: 'string', value: 'MESSAGE', help: 'Commit message' },
    { name: 'author', short: 'a', type: 'string', value: 'AUTHOR', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'pause', short: 'p', type: 'bool', help: 'Pause the container during commit (default true; --pause=false to not)' },
  ],
  async run(ctx) {
    const changes = parseChanges(strings(ctx.flags.change));
    const rt = runtimeContext(ctx.env);
    const id = await resolveContainer(rt, ctx.args[0]!);
    const src = commitSource(rt, id);
    if (!src.image) {
      throw new BerthError('container/no-image', `container ${id} runs on a plain rootfs dir (--rootfs), not an image: there is no parent image to commit onto`, {
        hint: `import the dir as an image (tar -C DIR -c . | berth image import - NAME) and run the container from NAME`,
      });
    }
    const store = storeFor(ctx);
    const parent = await resolveLocalImage(store, src.image.id);
    const pause = ctx.flags.pause !== false && src.status === 'running';
    if (pause) await pauseContainer(rt, id);
    try {
      const img = await commitLayer(store, {
        upperDir: src.upperDir,
        parent,
        exclude: src.initFiles,
        changes,
        ...(ctx.args[1] ? { ref: ctx.args[1] } : {}),
        ...(typeof ctx.flags.message === 'string' ? { comment: ctx.flags.message } : {}),
        ...(typeof ctx.flags.author === 'string' ? { author: ctx.flags.author } : {}),
      });
      ctx.stdout.write(`${img.id}\n`);
      return 0;
    } finally {
      if (pause) await resumeContainer(rt, id);
    }
  },
};
