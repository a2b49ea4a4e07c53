/**
 * NetworkPort over src/network. One netlink session (a relay process) is opened lazily and
 * shared by every call of a command; `close()` ends it (the engine calls it when a command
 * finishes, the supervisor when it exits).
 */
import {
  attachContainer,
  bringUpLoopback,
  checkPortsFree,
  detachContainer,
  ensureNetwork,
  listNetworks,
  networkBackendInfo,
  openNetlink,
  publishPorts,
  removeNetwork,
  renderResolvConf,
  startDnsResponder,
  unpublishPorts,
  type Netlink,
  type NetworkContext,
} from '../../network/index.js';
import { AggregateBerthError } from '../../errors.js';
import type { NetworkPort } from '../ports.js';

export function networkPort(root: string): NetworkPort {
  let netlink: Netlink | undefined;
  const ctx = (): NetworkContext => {
    netlink ??= openNetlink();
    return { root, netlink };
  };
  const report = (what: string, r: { errors: readonly unknown[] }): void => {
    if (r.errors.length > 0) throw new AggregateBerthError('network/teardown', what, r.errors);
  };
  return {
    ensureNetwork: (config) => ensureNetwork(ctx(), config),
    async removeNetwork(name) {
      report(`network ${name}: removal incomplete`, await removeNetwork(ctx(), name, { force: true }));
    },
    listNetworks: async () => listNetworks({ root }),
    async attach(containerId, netnsPath, attachments) {
      if (attachments.length === 0) {
        await bringUpLoopback(ctx(), netnsPath);
        return [];
      }
      return (await attachContainer(ctx(), { containerId, netnsPath, attachments })).endpoints;
    },
    async detach(containerId) {
      report(`container ${containerId}: network teardown incomplete`, await detachContainer(ctx(), containerId));
    },
    checkPortsFree: (requests) => checkPortsFree({ root }, requests),
    publish: (containerId, service, ports) => publishPorts(ctx(), { containerId, service, ports }),
    unpublish: (containerId) => unpublishPorts(ctx(), containerId),
    startDns: (network) => startDnsResponder(ctx(), { network }),
    async resolvConf(network, options) {
      const rec = network ? listNetworks({ root }).find((n) => n.name === network) : undefined;
      return renderResolvConf({ ...(rec ? { embeddedDns: rec.gateway } : {}), ...options });
    },
    async info() {
      const i = await networkBackendInfo();
      return { ...i };
    },
    async close() {
      const n = netlink;
      netlink = undefined;
      if (n) await n.close();
    },
  };
}
