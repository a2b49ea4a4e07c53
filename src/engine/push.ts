/** `berth push`: the selected services' images to their registries, one push per image, in turn. */
import type { PushOptions } from '../api/index.js';
import { BerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { loadFromSource } from './project-source.js';
import { byImage, serviceImages } from './service-images.js';

export async function push(ctx: EngineContext, options: PushOptions): Promise<void> {
  const images = ctx.ports.images;
  if (!images.push) throw new BerthError('engine/push-unsupported', 'this engine cannot push images');
  const project = await loadFromSource(options.source, (message) => emit(ctx, { kind: 'warning', message }));
  const items = serviceImages(project, options.services ?? [], { includeDeps: options.includeDeps === true, forPull: false, ignoreBuildable: false });
  let failed = false;
  for (const [ref, users] of byImage(items)) {
    const services = users.map((u) => u.name);
    emit(ctx, { kind: 'image', action: 'pushing', image: ref, services });
    try {
      await images.push(ref, options.signal ? { signal: options.signal } : {});
      emit(ctx, { kind: 'image', action: 'pushed', image: ref, services });
    } catch (err) {
      if (options.ignoreFailures === true) emit(ctx, { kind: 'warning', message: `${services.join(', ')}: ${describe(err)}` });
      else emit(ctx, { kind: 'image', action: 'error', image: ref, services, detail: describe(err) });
      if (options.ignoreFailures !== true) failed = true;
    }
  }
  if (failed) throw new BerthError('image/push-failed', 'some service images could not be pushed');
}
