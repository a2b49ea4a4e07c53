// attachContainer: one veth pair per network, the container end created directly inside the
// container's netns (IFLA_NET_NS_FD, no move) under its final name (eth0...), enslaved and
// up on the host side in the same message; then address, link up, loopback up and the
// default route inside, all over netlink. Partial work is rolled back on failure.
import { BerthError } from '../errors.js';
import { allocateAddress, releaseAddresses } from './ipam/leases.js';
import { parseCidr } from './ipam/cidr.js';
import { hostVethNameFor, isValidIfname, isValidMac, macForAddress } from './names.js';
import { isErrno, type Namespace, type Netlink } from './netlink/netlink.js';
import { withNetlink } from './session.js';
import { readRecord, removeEndpoint, writeEndpoint } from './state.js';
import type { AttachOptions, AttachResult, Endpoint, NetworkContext, NetworkRecord } from './types.js';

/** `network_mode: none` (and every attached container): loopback up inside the netns. */
export async function bringUpLoopback(ctx: NetworkContext, netnsPath: string): Promise<void> {
  await withNetlink(ctx, async (nl) => {
    const ns = await nl.namespace(netnsPath);
    try {
      await nl.setUp(ns, 'lo');
    } finally {
      await nl.closeNamespace(ns);
    }
  });
}

async function createVethFresh(nl: Netlink, host: Namespace, args: Parameters<Netlink['createVeth']>[1]): Promise<void> {
  try {
    await nl.createVeth(host, args);
  } catch (e) {
    // A stale host end left by a crash (the name is derived from container + network).
    if (!isErrno(e, 'EEXIST') || !(await nl.deleteLink(host, args.name))) throw e;
    await nl.createVeth(host, args);
  }
}

export async function attachContainer(ctx: NetworkContext, opts: AttachOptions): Promise<AttachResult> {
  const records: NetworkRecord[] = opts.attachments.map((a, i) => {
    const rec = readRecord(ctx.root, a.network);
    if (!rec) throw new BerthError('network/not-found', `container ${opts.containerId}: network ${a.network} not found`);
    const ifname = a.ifname ?? `eth${i}`;
    if (!isValidIfname(ifname)) throw new BerthError('network/invalid-name', `container ${opts.containerId}: interface name "${ifname}" is not valid`);
    if (a.macAddress && !isValidMac(a.macAddress)) {
      throw new BerthError('network/invalid-mac', `container ${opts.containerId}: mac_address "${a.macAddress}" is not a unicast MAC like 02:42:ac:11:00:02`);
    }
    return rec;
  });
  return withNetlink(ctx, async (nl) => {
    const host = await nl.host();
    const ns = await nl.namespace(opts.netnsPath);
    const done: Endpoint[] = [];
    const created: string[] = [];
    const leased = new Set<string>();
    try {
      await nl.setUp(ns, 'lo');
      let routed = false;
      for (const [i, a] of opts.attachments.entries()) {
        const rec = records[i]!;
        const ifname = a.ifname ?? `eth${i}`;
        const bridge = await nl.getLink(host, rec.bridge);
        if (!bridge) throw new BerthError('network/bridge', `network ${rec.name}: bridge ${rec.bridge} does not exist`, { hint: 'run `berth up` again to recreate it' });
        leased.add(rec.name);
        const address = await allocateAddress(ctx.root, rec, opts.containerId, a.ipv4Address);
        const mac = (a.macAddress ?? macForAddress(address)).toLowerCase();
        const hostIfname = hostVethNameFor(ctx.root, opts.containerId, rec.name);
        await createVethFresh(nl, host, { name: hostIfname, mtu: rec.mtu, master: bridge.index, peer: { name: ifname, ns, mac } });
        created.push(hostIfname);
        const link = await nl.getLink(ns, ifname);
        if (!link) throw new BerthError('network/veth', `container ${opts.containerId}: ${ifname} missing after creation`);
        const prefixLength = parseCidr(rec.subnet).prefixLength;
        await nl.addAddress(ns, link.index, address, prefixLength);
        await nl.setUp(ns, ifname);
        if (!routed && !rec.internal) {
          await nl.addRoute(ns, { gateway: rec.gateway });
          routed = true;
        }
        const ep: Endpoint = {
          network: rec.name,
          containerId: opts.containerId,
          ifname,
          hostIfname,
          address,
          prefixLength,
          gateway: rec.gateway,
          mac,
          names: [...new Set(a.names.map((n) => n.toLowerCase()))],
        };
        writeEndpoint(ctx.root, ep);
        done.push(ep);
      }
      return { endpoints: done };
    } catch (e) {
      const cleanup: unknown[] = [];
      for (const ep of done) removeEndpoint(ctx.root, ep.network, ep.containerId);
      for (const name of created) await nl.deleteLink(host, name).catch((x: unknown) => cleanup.push(x));
      for (const net of leased) releaseAddresses(ctx.root, net, opts.containerId);
      if (cleanup.length && e instanceof BerthError) Object.assign(e.data as Record<string, unknown>, { cleanupErrors: cleanup });
      throw e;
    } finally {
      await nl.closeNamespace(ns).catch(() => undefined);
    }
  });
}
