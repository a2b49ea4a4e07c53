// The image module's public API: what the engine, runtime and CLI call.
// runtime/engine use: ensureImage -> LocalImage.layerDirs (overlay lowers, top first) +
// LocalImage.config; holdImage/releaseImage while a container uses an image; commitLayer.
export type * from './types.js';
export { parseReference, familiarName, familiarString, isDigest } from './reference.js';
export { parseChanges } from './changes.js';
export { parsePlatform } from './manifest.js';
export { openImageStore, type ImageStore } from './store.js';
export { loadRegistryConfig } from './registry/config.js';
export { ensureImage } from './ensure.js';
export { pullImage } from './pull.js';
export { pushImage } from './push.js';
export { listImages, inspectImage, resolveLocalImage, findLocalImage, toLocalImage } from './list.js';
export { tagImage } from './tag.js';
export { removeImage, type RemoveImageOptions } from './remove.js';
export { pruneImages, type PruneOptions } from './prune.js';
export { holdImage, releaseImage, listHolds } from './hold.js';
export { loadArchive } from './archive-load.js';
export { saveArchive } from './archive-save.js';
export { importRootfs, type ImportOptions } from './import.js';
export { commitLayer, INIT_LAYER_FILES } from './commit.js';
export { login, logout } from './registry/login.js';
export { unpackLayer, type UnpackOptions } from './unpack.js';
export { pullImages, pushImages, type ManyItem, type ManyResult } from './pull-many.js';
// for the Dockerfile builder (src/build) and the file copies of `cp` and `watch`
export { addLayer, writeImage, type BuiltLayer, type NewImage } from './image-builder.js';
export { hasBlob, hasLayer, layerDiffDir, readBlob, readImageRecord, tmpName } from './store.js';
export { LayerOps } from './layer-ops.js';
export { withLease } from './gc.js';
export { hostPlatform } from './manifest.js';
export { upperDirTar } from './commit.js';
export { decompress } from './compression.js';
export { padding, TAR_END, tarBuffer, tarHeader, type TarWriteHeader } from './tar-writer.js';
export { readTar, type TarEntry } from './tar-reader.js';
export { mergedTar } from './merged-tar.js';
export { notInLocalStore } from './errors.js';
