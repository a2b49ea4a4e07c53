// A stage's starting point: the FROM image (local, or pulled: the registry client is loaded
// only then) and the state the executor carries from step to step.
import type { BuiltLayer, LocalImage, Platform } from '../image/index.js';
import { findLocalImage, notInLocalStore, toLocalImage, readBlob, readImageRecord, type ImageStore } from '../image/index.js';
import { cacheKey } from './cache.js';
import type { ConfigState } from './config-step.js';
import type { BuildDeps } from './deps.js';

export interface StageState {
  readonly label: string;
  layers: BuiltLayer[];
  cfg: ConfigState;
  history: Record<string, unknown>[];
  platform: Platform;
  /** The cache key chain so far. */
  key: string;
  /** ARGs declared in this stage with their values. */
  args: Map<string, string>;
  /** A step of this stage's chain was executed (not cached): later config steps are not "cached". */
  ran: boolean;
}

export async function resolveBaseImage(deps: BuildDeps, ref: string, o: { pull: boolean; signal?: AbortSignal; onPull(): void }): Promise<LocalImage> {
  if (!o.pull) {
    const found = await findLocalImage(deps.store, ref);
    if (found) return toLocalImage(deps.store, found.record, found.ref);
  }
  const { ensureImage } = await import('../image/index.js');
  let announced = false;
  return ensureImage(deps.store, ref, {
    pullPolicy: o.pull ? 'always' : 'missing',
    registryConfig: deps.registryConfig,
    ...(o.signal ? { signal: o.signal } : {}),
    onProgress: () => {
      if (!announced) o.onPull();
      announced = true;
    },
  });
}

/** Layers (with their blob descriptors), config, history and platform of a stored image. */
export async function baseState(store: ImageStore, img: LocalImage): Promise<Omit<StageState, 'label' | 'args' | 'ran'>> {
  const rec = await readImageRecord(store, img.id);
  if (!rec) throw notInLocalStore(img.id);
  const blob = JSON.parse((await readBlob(store, img.id)).toString('utf8')) as { history?: Record<string, unknown>[]; author?: string };
  return {
    layers: rec.layers.map((desc, i) => ({ desc, diffId: rec.diffIds[i]! })),
    cfg: { config: structuredClone({ ...img.config }) as ConfigState['config'], cmdSet: false, ...(blob.author ? { author: blob.author } : {}) },
    history: blob.history ?? [],
    platform: img.platform,
    key: cacheKey('from', img.id),
  };
}
