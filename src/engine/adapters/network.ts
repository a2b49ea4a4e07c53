/**
 * NetworkPort over src/network. The network module lands in parallel with the engine; it is
 * loaded on first use so the engine builds and runs (network_mode none/host) without it.
 */
import { BerthError } from '../../errors.js';
import type { NetworkPort } from '../ports.js';

type NetworkModule = Record<string, (...args: never[]) => unknown>;

let loaded: Promise<NetworkModule> | undefined;
function mod(): Promise<NetworkModule> {
  const path = '../../network/index.js';
  loaded ??= (import(path) as Promise<NetworkModule>).catch((err: unknown) => {
    throw new BerthError('engine/no-network', 'container networking is not available in this build', { cause: err });
  });
  return loaded;
}

export function networkPort(root: string): NetworkPort {
  void root;
  void mod;
  const unavailable = async (): Promise<never> => {
    await mod();
    throw new BerthError('engine/no-network', 'container networking is not wired yet');
  };
  return {
    ensureNetwork: unavailable,
    removeNetwork: async () => undefined,
    listNetworks: async () => [],
    attach: unavailable,
    detach: async () => undefined,
    checkPortsFree: async () => undefined,
    publish: unavailable,
    unpublish: async () => undefined,
    published: async () => [],
    startDns: unavailable,
    resolvConf: async () => 'nameserver 8.8.8.8\n',
    info: async () => ({ backend: 'unavailable' }),
  };
}
