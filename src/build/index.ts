// berth's image builder: Dockerfile -> image in berth's store, with berth's own runtime for
// RUN and a layer cache. No docker/buildkit. See README.md.
//   buildImage(buildDeps(env), { context, dockerfile?, tags, target?, buildArgs?, ... })
export type * from './types.js';
export { buildImage } from './build.js';
export type { RunNetwork } from './instructions.js';
export { buildDeps, type BuildDeps } from './deps.js';
export { parseDockerfile, type Dockerfile, type RawInstruction, type RawStage } from './parse.js';
export { processWord, processWords, processPairs } from './words.js';
export { buildService, serviceBuildRequest, serviceImageName, engineEventOf, type ServiceBuildOptions, type BuildProgressEvent } from './compose.js';
