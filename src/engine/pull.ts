/**
 * Pulling images with progress events: the pull step of up/create/run (`pullImage`) and the
 * verb `berth pull` (compose's `pull`: the selected services' images, one pull per image,
 * in parallel; a failure is an error event, or a warning with --ignore-pull-failures or for
 * a service that can be built instead).
 */
import type { LocalImage, PullPolicy } from '../image/index.js';
import type { PullOptions } from '../api/index.js';
import { BerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { loadFromSource } from './project-source.js';
import { recordPull } from './pull-policy.js';
import { byImage, serviceImages } from './service-images.js';

/** Ensures `ref` per `policy`; `pulling`/`progress`/`pulled` events when it is fetched. */
/** `quiet` (`up --quiet-pull`): no per-layer progress events; pulling/pulled still say what happens. */
export async function pullImage(ctx: EngineContext, ref: string, services: readonly string[], policy: PullPolicy, signal?: AbortSignal, quiet = false): Promise<LocalImage> {
  let pulling = false;
  let total = 0;
  const done = new Map<string, number>();
  const sizes = new Map<string, number>();
  const image = await ctx.ports.images.ensure(ref, policy, {
    ...(signal ? { signal } : {}),
    onProgress: (e) => {
      if (!pulling) {
        pulling = true;
        emit(ctx, { kind: 'image', action: 'pulling', image: ref, services });
      }
      if (e.type === 'layer-start') {
        total += e.total;
        sizes.set(e.digest, e.total);
      }
      if (e.type === 'layer-progress' && !quiet) {
        done.set(e.digest, e.current);
        const layers = [...sizes].map(([d, size]) => ({ id: d.replace(/^sha256:/, '').slice(0, 12), current: done.get(d) ?? 0, total: size }));
        emit(ctx, { kind: 'image', action: 'progress', image: ref, services, current: [...done.values()].reduce((a, b) => a + b, 0), total, layers });
      }
    },
  });
  if (pulling) emit(ctx, { kind: 'image', action: 'pulled', image: ref, services });
  if (pulling || policy === 'always') recordPull(ctx.paths, ref, ctx.now());
  return image;
}

export async function pull(ctx: EngineContext, options: PullOptions): Promise<void> {
  const project = await loadFromSource(options.source, (message) => emit(ctx, { kind: 'warning', message }));
  const items = serviceImages(project, options.services ?? [], { includeDeps: options.includeDeps === true, forPull: true, ignoreBuildable: options.ignoreBuildable === true });
  const results = await Promise.all(
    [...byImage(items)].map(async ([ref, users]) => {
      const services = users.map((u) => u.name);
      try {
        if (options.policy === 'missing' && (await ctx.ports.images.resolveLocal(ref))) return true;
        await pullImage(ctx, ref, services, 'always', options.signal);
        return true;
      } catch (err) {
        const tolerated = options.ignoreFailures === true || users.every((u) => u.buildable);
        const message = `${services.join(', ')}: ${describe(err)}`;
        if (tolerated) emit(ctx, { kind: 'warning', message });
        else emit(ctx, { kind: 'image', action: 'error', image: ref, services, detail: describe(err) });
        return tolerated;
      }
    }),
  );
  if (results.includes(false)) throw new BerthError('image/pull-failed', 'some service images could not be pulled');
}
