/**
 * Public API of the network module (L3). The engine imports from here only.
 *
 *   openNetlink()                               -> Netlink  (one relay for a whole up/down; pass as ctx.netlink)
 *   ensureNetwork(ctx, NetworkConfig)           -> NetworkRecord (bridge + gateway + IPAM subnet + nft)
 *   removeNetwork(ctx, name, {force, external}) -> TeardownReport (idempotent, errors gathered)
 *   attachContainer(ctx, AttachOptions)         -> AttachResult (veths into netnsPath, eth0.., addrs, route)
 *   detachContainer(ctx, containerId, opts?)    -> TeardownReport (DNS records, veths, leases, ports)
 *   bringUpLoopback(ctx, netnsPath)             (network_mode: none)
 *   checkPortsFree(ctx, PortRequest[], ignore?) throws network/port-in-use naming service+port
 *   publishPorts(ctx, PublishOptions)           -> PublishedPort[] ; unpublishPorts(ctx, containerId)
 *   startDnsResponder(ctx, {network})           -> DnsResponder (for the supervisor)
 *   dnsServing(ctx, network)                    -> boolean (its gateway:53 bound: `up` starts containers then)
 *   renderResolvConf(opts), renderHosts(opts), dnsNamesFor(...)   (pure; the runtime writes the files)
 *   listNetworks(ctx, project?), inspectNetwork(ctx, name)
 *   networkBackendInfo()                        -> NetworkBackendInfo (for `berth info`)
 *   holdNamespaces(pids)                        -> release()  (down: container netns outlive the bridge)
 */
export type * from './types.js';
export { Netlink, NetlinkError, type Namespace, type LinkInfo, type AddressInfo, type RouteInfo } from './netlink/netlink.js';
export { openNetlink } from './session.js';
export { ensureNetwork } from './ensure-network.js';
export { removeNetwork, removeNetworkOrThrow, type RemoveNetworkOptions } from './remove-network.js';
export { attachContainer, bringUpLoopback } from './attach-container.js';
export { detachContainer, type DetachOptions } from './detach-container.js';
export { checkPortsFree, publishPorts, unpublishPorts } from './ports.js';
export { startDnsResponder } from './dns/responder.js';
export { dnsServing } from './dns/serving.js';
export { dnsNamesFor, parseResolvConf, renderHosts, renderResolvConf } from './render.js';
export { inspectNetwork, listNetworks, type NetworkView } from './inspect.js';
export { networkBackendInfo } from './backend-info.js';
export { holdNamespaces } from './hold-namespaces.js';
export { bridgeNameFor } from './names.js';
export { syncFirewall, tableName } from './firewall/nft.js';
