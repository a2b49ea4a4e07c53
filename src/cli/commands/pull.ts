import type { Command } from '../command.js';
import { loadProject } from '../../spec/index.js';
import { pullImages } from '../../image/pull-many.js';
import { describe, UsageError, BerthError } from '../../errors.js';
import { progressPrinter, registryConfigFor, storeFor } from './image/shared.js';
import { projectImages } from './image/project-images.js';
import { recordPull } from '../../engine/pull-policy.js';
import { enginePaths } from '../../engine/paths.js';

export const command: Command = {
  usage: 'berth pull [OPTIONS] [SERVICE...]',
  summary: 'Pull service images',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Pull without printing progress information' },
    { name: 'ignore-pull-failures', type: 'bool', help: 'Pull what it can and ignores images with pull failures' },
    { name: 'include-deps', type: 'bool', help: 'Also pull services declared as dependencies' },
    { name: 'ignore-buildable', type: 'bool', help: 'Ignore images that can be built' },
    { name: 'policy', type: 'string', value: 'POLICY', help: 'Apply pull policy ("missing"|"always")' },
  ],
  async run(ctx) {
    const project = await loadProject({ ...ctx.global, files: ctx.global.files, env: ctx.env, cwd: ctx.cwd });
    const items = projectImages(project, ctx.args, { includeDeps: ctx.flags['include-deps'] === true, forPull: true, ignoreBuildable: ctx.flags['ignore-buildable'] === true });
    if (ctx.flags.policy !== undefined && ctx.flags.policy !== 'missing' && ctx.flags.policy !== 'always') throw new UsageError(`invalid --policy "${String(ctx.flags.policy)}": expected missing or always`);
    const quiet = ctx.flags.quiet === true;
    const store = storeFor(ctx);
    const missingOnly = ctx.flags.policy === 'missing';
    const { findLocalImage } = await import('../../image/list.js');
    const todo = [];
    for (const it of items) if (!missingOnly || !(await findLocalImage(store, it.ref))) todo.push(it);
    const results = await pullImages(store, todo, { signal: ctx.signal, registryConfig: registryConfigFor(ctx), onProgress: progressPrinter(ctx.stderr, quiet) });
    let failed = false;
    for (const r of results) {
      if (r.error === undefined) {
        const item = todo.find((i) => i.name === r.name);
        if (item) recordPull(enginePaths(ctx.env), item.ref, Date.now());
        if (!quiet) ctx.stderr.write(` ✔ ${r.name} Pulled\n`);
        continue;
      }
      const tolerated = ctx.flags['ignore-pull-failures'] === true || items.find((i) => i.name === r.name)?.buildable === true;
      ctx.stderr.write(`${tolerated ? 'warning' : 'berth'}: ${r.name}: ${describe(r.error)}\n`);
      if (!tolerated) failed = true;
    }
    if (failed) throw new BerthError('image/pull-failed', 'some service images could not be pulled');
    return 0;
  },
};
