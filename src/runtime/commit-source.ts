// What `commit` needs from a container: its rw layer, the image it came from, its status.
// The runtime knows no image store (peers never import each other): the caller hands these to
// the image module's commitLayer.
import { containerPaths } from './layout.js';
import { containerStateSync, requireStored } from './state.js';
import type { ContainerImage, ContainerStatus, RuntimeContext } from './types.js';
import { noSuchContainer } from './errors.js';

export interface CommitSource {
  /** The overlay upper dir (the container's changes). The init layer is a separate lower. */
  readonly upperDir: string;
  /** Paths (absolute inside the container) the runtime writes per container: never committed. */
  readonly initFiles: readonly string[];
  /** undefined for a container run from a plain rootfs dir (`--rootfs`). */
  readonly image: ContainerImage | undefined;
  readonly status: ContainerStatus;
}

export const INIT_FILES: readonly string[] = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

export function commitSource(rt: RuntimeContext, id: string): CommitSource {
  const stored = requireStored(rt, id);
  const state = containerStateSync(rt, id);
  if (!state) throw noSuchContainer(id);
  return { upperDir: containerPaths(rt, id).upper, initFiles: INIT_FILES, image: stored.config.image, status: state.status };
}

/**
 * The dirs whose overlay is the container's root filesystem, top first: its changes (upper),
 * the init layer, the image layers (`export`). A direct rootfs is the one dir it runs in.
 */
export function rootfsLayers(rt: RuntimeContext, id: string): readonly string[] {
  const { config } = requireStored(rt, id);
  if ('dir' in config.rootfs && config.rootfs.mode === 'direct' && config.userns !== 'auto') return [config.rootfs.dir];
  const paths = containerPaths(rt, id);
  return [paths.upper, paths.init, ...('dir' in config.rootfs ? [config.rootfs.dir] : config.rootfs.lowerDirs)];
}
