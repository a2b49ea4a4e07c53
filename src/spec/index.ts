/**
 * Public API of the compose loader (L1). Other modules import from here only.
 *
 *   loadProject(options)          -> Promise<Project>   (find, env, parse, interpolate,
 *                                    include/extends, merge, validate, normalize, freeze)
 *   selectServices(project, names) -> Project           (names + their dependencies)
 *   serializeProject(project, fmt) -> string            (`berth config` canonical output)
 */
export { readEnvFiles } from './find.js';
export type * from './types.js';
export { loadProject, loadProjectSync } from './load-project.js';
export { renderConfig, type ConfigViewOptions } from './config-view.js';
export { selectServices, serviceDependencies } from './select.js';
export { serializeProject, toCanonical } from './serialize.js';
export { durationMs, formatDuration, parseDuration, parseBytes } from './units.js';
export { emitYaml } from './yaml-emit.js';
export { parsePortSpec, splitVolumeSpec } from './short-syntax.js';
export { serviceImageRef } from './image-name.js';
