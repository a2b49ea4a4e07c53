// Pulling or pushing several images at once (the compose verbs `pull` / `push`): each item
// is independent; failures are collected per item rather than stopping the others.
import { mapLimit } from './limit.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import type { ImageStore } from './store.js';
import type { PullOptions, PushOptions } from './types.js';

export interface ManyItem {
  /** What the caller calls it (a service name). */
  readonly name: string;
  readonly ref: string;
}

export interface ManyResult extends ManyItem {
  readonly error: unknown;
}

export async function pullImages(s: ImageStore, items: readonly ManyItem[], o: PullOptions = {}): Promise<ManyResult[]> {
  // one pull per distinct reference; services sharing an image share the result
  const byRef = new Map<string, Promise<unknown>>();
  const results = await mapLimit(items, 4, async (item) => {
    let p = byRef.get(item.ref);
    if (!p) {
      p = pullImage(s, item.ref, o).then(
        () => undefined,
        (err: unknown) => err,
      );
      byRef.set(item.ref, p);
    }
    return { ...item, error: await p };
  });
  return results;
}

export async function pushImages(s: ImageStore, items: readonly ManyItem[], o: PushOptions = {}): Promise<ManyResult[]> {
  const out: ManyResult[] = [];
  const done = new Set<string>();
  for (const item of items) {
    if (done.has(item.ref)) continue;
    done.add(item.ref);
    out.push({
      ...item,
      error: await pushImage(s, item.ref, o).then(
        () => undefined,
        (err: unknown) => err,
      ),
    });
  }
  return out;
}
