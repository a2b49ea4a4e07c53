// One safe way to touch a path on behalf of untrusted content (images, containers, build
// contexts): fd-relative, never through a symlink that the content controls. See dir.ts.
export { SafeDir, O_PATH, checkName, fdPath, using } from './dir.js';
export { components, resolveInRoot, unsafePath, walkBeneath, type Resolved, type WalkOptions } from './resolve.js';
export { readCapped } from './read.js';
export { LayerStack, isWhiteout, type LayerEntry } from './layers.js';
export { copyTree, copyFileAt, copyOpenFile } from './copy-tree.js';
