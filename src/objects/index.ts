/**
 * berth's verbs on single objects outside compose projects (L5, beside the engine):
 * `berth container|image|network`, login and logout, as the services of src/api
 * (ContainerService, ImageService, NetworkService). Each verb loads only the parts of
 * runtime/image/network/build it uses (src/load.ts).
 */
export { containerService } from './containers.js';
export { imageService } from './images.js';
export { networkService } from './networks.js';
