// ensureImage: the pull step of `up` (pull_policy always | missing | never | build).
// Concurrent calls for the same image in one process share one pull.
import { findLocalImage, toLocalImage } from './list.js';
import { pullImage } from './pull.js';
import { parseReference } from './reference.js';
import type { ImageStore } from './store.js';
import type { EnsureImageOptions, LocalImage } from './types.js';
import { notInLocalStore } from './errors.js';

const inflight = new Map<string, Promise<LocalImage>>();

export async function ensureImage(s: ImageStore, ref: string, options: EnsureImageOptions = {}): Promise<LocalImage> {
  const policy = options.pullPolicy ?? 'missing';
  const parsed = parseReference(ref);
  if (policy !== 'always') {
    const found = await findLocalImage(s, ref);
    if (found) return toLocalImage(s, found.record, parsed);
    if (policy === 'never' || policy === 'build') {
      throw notInLocalStore(parsed.familiar, policy === 'never' ? 'pull_policy is "never": run `berth pull` first' : 'pull_policy is "build": build the image first');
    }
  }
  const key = `${s.root}\0${parsed.canonical}\0${JSON.stringify(options.platform ?? null)}`;
  const running = inflight.get(key);
  if (running) return running;
  const p = pullImage(s, ref, options).finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}
