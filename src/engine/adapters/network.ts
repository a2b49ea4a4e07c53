/**
 * NetworkPort over src/network. One netlink session (a relay process) is opened lazily and
 * shared by every call of a command; `close()` ends it (the engine calls it when a command
 * finishes, the supervisor when it exits).
 */
import type { Netlink, NetworkContext } from '../../network/index.js';
import { AggregateBerthError } from '../../errors.js';
import type { NetworkPort } from '../ports.js';
import { loadNetwork, loadNetworkReading, loadNetworkTeardown } from '../../load.js';

type NetworkModule = Awaited<ReturnType<typeof loadNetwork>>;

export function networkPort(root: string): NetworkPort {
  let netlink: Netlink | undefined;
  let loaded: Promise<NetworkModule> | undefined;
  const N = (): Promise<NetworkModule> => (loaded ??= loadNetwork());
  // What `down`, `ps` and `stop` use, without the create path's modules (DNS, IPAM, attach),
  // in two tiers: reading state (R: listing, namespace holds) and changing the kernel (L:
  // netlink, firewall). `down` reads before its first stop signal and changes after it.
  type Reading = Awaited<ReturnType<typeof loadNetworkReading>>;
  let reading: Promise<Reading> | undefined;
  const R = (): Promise<Reading> => (reading ??= loadNetworkReading());
  type Lean = Awaited<ReturnType<typeof loadNetworkTeardown>>;
  let lean: Promise<Lean> | undefined;
  const L = (): Promise<Lean> => (lean ??= loadNetworkTeardown());
  const ctx = async (): Promise<NetworkContext> => {
    const { session } = await L();
    netlink ??= session.openNetlink();
    return { root, netlink };
  };
  const report = (what: string, r: { errors: readonly unknown[] }): void => {
    if (r.errors.length > 0) throw new AggregateBerthError('network/teardown', what, r.errors);
  };
  return {
    ensureNetwork: async (config, options) =>
      (await N()).ensureNetwork(await ctx(), config, {
        ...(options?.onRecorded ? { onRecorded: options.onRecorded } : {}),
        ...(options?.onBridged ? { onBridged: options.onBridged } : {}),
      }),
    async removeNetwork(name, options) {
      report(`network ${name}: removal incomplete`, await (await L()).remove.removeNetwork(await ctx(), name, { force: true, ...(options?.onRequested ? { onRequested: options.onRequested } : {}) }));
    },
    listNetworks: async () => (await R()).inspect.listNetworks({ root }),
    holdNamespaces: async (pids) => (await R()).hold.holdNamespaces(pids),
    async attach(containerId, netnsPath, attachments) {
      const m = await N();
      if (attachments.length === 0) {
        await m.bringUpLoopback(await ctx(), netnsPath);
        return [];
      }
      return (await m.attachContainer(await ctx(), { containerId, netnsPath, attachments })).endpoints;
    },
    async detach(containerId, options) {
      report(`container ${containerId}: network teardown incomplete`, await (await L()).detach.detachContainer(await ctx(), containerId, options));
    },
    checkPortsFree: async (requests) => (await N()).checkPortsFree({ root }, requests),
    publish: async (containerId, service, ports) => (await N()).publishPorts(await ctx(), { containerId, service, ports }),
    // no relay opened for it: a container without published ports needs none (a stop in `down`)
    unpublish: async (containerId) => (await L()).ports.unpublishPorts({ root, ...(netlink ? { netlink } : {}) }, containerId),
    // no relay either: the responder reads records and serves sockets, it makes no netlink
    // call, and the supervisor (which serves DNS) would keep that process for its whole life
    startDns: async (network) => (await N()).startDnsResponder({ root }, { network }),
    dnsServing: async (network) => (await N()).dnsServing({ root }, network),
    async resolvConf(network, options) {
      const m = await N();
      const rec = network ? m.listNetworks({ root }).find((n) => n.name === network) : undefined;
      return m.renderResolvConf({ ...(rec ? { embeddedDns: rec.gateway } : {}), ...options });
    },
    async hosts(options) {
      return (await N()).renderHosts(options);
    },
    async info() {
      return { ...(await (await N()).networkBackendInfo()) };
    },
    async close() {
      const n = netlink;
      netlink = undefined;
      if (n) await n.close();
    },
  };
}
