// Which URLs serve a registry: docker.io goes to its mirrors in order, then
// registry-1.docker.io; loopback and configured insecure registries speak plain HTTP.
import { DEFAULT_REGISTRY } from '../reference.js';
import { isInsecure } from './config.js';
import type { RegistryConfig } from '../types.js';

export interface Endpoint {
  readonly url: string;
  readonly mirror: boolean;
}

export function endpointsFor(config: RegistryConfig, registry: string, forPush = false): Endpoint[] {
  if (registry === DEFAULT_REGISTRY) {
    const mirrors = forPush ? [] : config.mirrors.map((m) => ({ url: /^https?:\/\//.test(m) ? m : `https://${m}`, mirror: true }));
    return [...mirrors, { url: 'https://registry-1.docker.io', mirror: false }];
  }
  return [{ url: `${isInsecure(config, registry) ? 'http' : 'https'}://${registry}`, mirror: false }];
}
