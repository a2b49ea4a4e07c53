/** `berth build [SERVICE...]`: the services with `build:` (all when none named), through up's build step. */
import type { BuildOptions } from '../api/index.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { loadFromSource, pickServices } from './project-source.js';
import { buildServiceImages } from './build-images.js';

export async function build(ctx: EngineContext, options: BuildOptions): Promise<void> {
  const project = await loadFromSource(options.source, (message) => emit(ctx, { kind: 'warning', message }));
  const { names } = pickServices(project, options.services, true);
  await buildServiceImages(ctx, project, names, {
    build: true,
    ...(options.noCache ? { noCache: true } : {}),
    ...(options.pull ? { pullBase: true } : {}),
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    ...(options.allow ? { allow: options.allow } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
