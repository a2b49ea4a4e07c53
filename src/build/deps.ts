// What the builder works with: the image store, the runtime, registry settings and the
// layer cache, all under $BERTH_ROOT (one place to build them from the environment).
import { loadRegistryConfig, openImageStore, type ImageStore } from '../image/index.js';
import type { RegistryConfig } from '../image/index.js';
import { runtimeContext } from '../runtime/index.js';
import type { RuntimeContext } from '../runtime/index.js';
import { BuildCache } from './cache.js';
import { berthRoot } from '../util/berth-dirs.js';
const { join } = process.getBuiltinModule('node:path');

export interface BuildDeps {
  readonly store: ImageStore;
  readonly rt: RuntimeContext;
  readonly registryConfig: RegistryConfig;
  readonly cache: BuildCache;
}

export function buildDeps(env: Readonly<Record<string, string | undefined>> = process.env): BuildDeps {
  const root = berthRoot(env);
  const store = openImageStore(join(root, 'images'));
  return { store, rt: runtimeContext(env), registryConfig: loadRegistryConfig(env), cache: new BuildCache(join(root, 'build', 'cache'), store) };
}
