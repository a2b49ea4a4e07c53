/**
 * What the CLI is handed (docker compose's `api.Service`): the engine and berth's other
 * verbs, each part loaded when a command first asks for it (start-up speed). Implemented by
 * the composition root, `src/main.ts`; tests hand in their own.
 */
import type { Deployer } from './deploy.js';
import type { Engine } from './engine.js';
import type { WatchOptions } from './options.js';
import type { ContainerService, ImageService, NetworkService } from './objects.js';

export interface Backend {
  /** The compose verbs (up, down, ps, pull, build, ...). */
  engine(): Promise<Engine>;
  /** `berth container ...`: single containers on berth's runtime, outside compose projects. */
  containers(): Promise<ContainerService>;
  /** `berth image ...`, login and logout: the local image store and registries. */
  images(): Promise<ImageService>;
  /** `berth network ...`: networks outside compose projects (for `external: true`). */
  networks(): Promise<NetworkService>;
  /** `berth watch`: develop.watch rules applied through the engine until the signal aborts. */
  watch(options: WatchOptions): Promise<void>;
  /** `berth deploy` / `berth convert`: the Swarm and Kubernetes backends. */
  deployer(): Promise<Deployer>;
}

/** The backend for an environment (BERTH_ROOT, registry auth, ...). */
export type BackendFactory = (env: Readonly<Record<string, string | undefined>>) => Backend;
