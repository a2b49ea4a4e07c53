/**
 * `watch --prune` (compose's dangling-image prune on rebuild): once up has recreated
 * containers on a new image, the image they ran on before goes when nothing else uses it
 * (no name points at it, no container holds it). Best effort: a failure only warns.
 */
import type { LocalImage } from '../image/index.js';
import { describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import type { ObservedContainer, Plan } from './plan-types.js';

/** Pure: ids of the images the plan's removed containers ran on that no service runs on now, sorted. */
export function replacedImages(plan: Plan, containers: readonly ObservedContainer[], images: ReadonlyMap<string, LocalImage>): string[] {
  const removed = new Set(plan.operations.filter((o) => o.kind === 'remove').map((o) => o.target));
  const current = new Set([...images.values()].map((i) => i.id as string));
  const ids = containers.filter((c) => removed.has(c.name) && c.imageId !== undefined && !current.has(c.imageId)).map((c) => c.imageId!);
  return [...new Set(ids)].sort();
}

/** Removes each image that is dangling now; emits `image removed` for those that went. */
export async function pruneReplacedImages(ctx: EngineContext, ids: readonly string[]): Promise<void> {
  const images = ctx.ports.images;
  if (!images.removeDangling) return;
  for (const id of ids) {
    try {
      if (await images.removeDangling(id)) emit(ctx, { kind: 'image', action: 'removed', image: id });
    } catch (err) {
      emit(ctx, { kind: 'warning', message: `image ${id}: not pruned: ${describe(err)}` });
    }
  }
}
