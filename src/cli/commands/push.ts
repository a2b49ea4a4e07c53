import type { Command } from '../command.js';
import { loadProject } from '../../spec/index.js';
import { pushImages } from '../../image/pull-many.js';
import { describe, BerthError } from '../../errors.js';
import { progressPrinter, registryConfigFor, storeFor } from './image/shared.js';
import { projectImages } from './image/project-images.js';

export const command: Command = {
  usage: 'berth push [OPTIONS] [SERVICE...]',
  summary: 'Push service images',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Push without printing progress information' },
    { name: 'ignore-push-failures', type: 'bool', help: 'Push what it can and ignores images with push failures' },
    { name: 'include-deps', type: 'bool', help: 'Also push images of services declared as dependencies' },
  ],
  async run(ctx) {
    const project = await loadProject({ ...ctx.global, env: ctx.env, cwd: ctx.cwd });
    const items = projectImages(project, ctx.args, { includeDeps: ctx.flags['include-deps'] === true, forPull: false, ignoreBuildable: false });
    const quiet = ctx.flags.quiet === true;
    const results = await pushImages(storeFor(ctx), items, { signal: ctx.signal, registryConfig: registryConfigFor(ctx), onProgress: progressPrinter(ctx.stderr, quiet) });
    let failed = false;
    for (const r of results) {
      if (r.error === undefined) {
        if (!quiet) ctx.stderr.write(` ✔ ${r.name} Pushed\n`);
        continue;
      }
      ctx.stderr.write(`berth: ${r.name}: ${describe(r.error)}\n`);
      if (ctx.flags['ignore-push-failures'] !== true) failed = true;
    }
    if (failed) throw new BerthError('image/push-failed', 'some service images could not be pushed');
    return 0;
  },
};
