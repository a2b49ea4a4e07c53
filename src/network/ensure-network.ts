// ensureNetwork: record on disk first (so a crash leaves something `down` can remove), then
// the bridge (EEXIST accepted, kind checked), its gateway address, up, sysctls, firewall.
import { BerthError } from '../errors.js';
import { prefetchForwardChain, syncFirewall } from './firewall/nft.js';
import { overlaps, parseCidr, type Cidr } from './ipam/cidr.js';
import { chooseSubnet } from './ipam/subnets.js';
import { withLock } from './lock.js';
import { bridgeNameFor, isValidIfname, macForAddress, ownsBridge } from './names.js';
import type { Netlink, Namespace } from './netlink/netlink.js';
import { removeNetworkOrThrow } from './remove-network.js';
import { withNetlink } from './session.js';
import { trace } from '../util/trace.js';
import { checkNetworkName, globalLock, listRecords, readRecord, writeRecord } from './state.js';
import type { NetworkConfig, NetworkContext, NetworkRecord } from './types.js';

/** Everything already routed or addressed on the host, as CIDRs (default routes excluded). */
async function hostTaken(nl: Netlink, host: Namespace): Promise<Cidr[]> {
  const [routes, addrs] = await Promise.all([nl.listRoutes(host), nl.listAddresses(host)]);
  return [
    ...routes.filter((r) => r.prefixLength > 0 && r.table === 254).map((r) => parseCidr(`${r.dst}/${r.prefixLength}`)),
    ...addrs.filter((a) => a.address).map((a) => parseCidr(`${a.address}/${a.prefixLength}`)),
  ];
}

function checkSame(rec: NetworkRecord, cfg: NetworkConfig): void {
  const differs: string[] = [];
  if (cfg.subnet && parseCidr(cfg.subnet).base !== parseCidr(rec.subnet).base) differs.push(`subnet ${rec.subnet} -> ${cfg.subnet}`);
  if (cfg.gateway && cfg.gateway !== rec.gateway) differs.push(`gateway ${rec.gateway} -> ${cfg.gateway}`);
  if ((cfg.internal ?? false) !== rec.internal) differs.push(`internal ${rec.internal} -> ${cfg.internal ?? false}`);
  if (differs.length) {
    throw new BerthError('network/config-changed', `network ${rec.name} exists with a different configuration (${differs.join(', ')})`, {
      hint: 'run `berth down` to remove the network, then `berth up` again',
    });
  }
}

/**
 * Makes (or re-checks) the bridge; true when this call created it. On a bridge that existed
 * before (a custom `com.docker.network.bridge.name`), a gateway address berth adds is
 * recorded first (`gatewayAdded`), so that removing the network takes it off again.
 */
async function ensureBridge(ctx: NetworkContext, nl: Netlink, host: Namespace, rec: NetworkRecord): Promise<boolean> {
  // Requests are pipelined (the relay answers in order): two round trips instead of seven,
  // which counts when an `up` keeps the event loop busy preparing containers meanwhile.
  // A fixed MAC: otherwise the bridge takes the lowest port MAC, which changes as
  // containers come and go, and containers' ARP entries for the gateway go stale.
  const created = nl.createLink(host, rec.bridge, 'bridge', { mtu: rec.mtu, up: true, mac: macForAddress(rec.gateway) }).then(
    () => true,
    (e: unknown) => {
      if (!(e instanceof Error && 'errno' in e && e.errno === 'EEXIST')) throw e;
      return false;
    },
  );
  const [made, link] = await Promise.all([created, nl.getLink(host, rec.bridge)]);
  if (!link) throw new BerthError('network/bridge', `bridge ${rec.bridge} of network ${rec.name} vanished while being created`);
  if (link.kind !== 'bridge') {
    throw new BerthError('network/name-conflict', `network ${rec.name}: interface ${rec.bridge} exists but is a ${link.kind ?? 'non-bridge'} device`, {
      hint: 'choose another com.docker.network.bridge.name or remove that interface',
    });
  }
  const prefix = parseCidr(rec.subnet).prefixLength;
  if (!made && !ownsBridge(rec) && !rec.gatewayAdded) {
    const present = (await nl.listAddresses(host)).some((a) => a.index === link.index && a.address === rec.gateway);
    if (!present) writeRecord(ctx.root, { ...rec, gatewayAdded: true });
  }
  await Promise.all([
    nl.addAddress(host, link.index, rec.gateway, prefix),
    link.up ? undefined : nl.setUp(host, rec.bridge),
    // Loopback clients of published ports: DNAT from 127.0.0.1 out of this bridge.
    nl.sysctl(`net/ipv4/conf/${rec.bridge}/route_localnet`, '1'),
    rec.internal ? undefined : nl.sysctl('net/ipv4/ip_forward', '1'),
  ]);
  return made;
}

export interface EnsureNetworkOptions {
  /**
   * Called once the record exists (subnet and gateway chosen), before the bridge and the
   * firewall rules: a caller can prepare containers meanwhile, attaching them only after
   * ensureNetwork resolves.
   */
  readonly onRecorded?: (rec: NetworkRecord) => void;
  /** Called once the bridge is up (containers can be attached), before the firewall rules. */
  readonly onBridged?: () => void;
}

export async function ensureNetwork(ctx: NetworkContext, cfg: NetworkConfig, opts: EnsureNetworkOptions = {}): Promise<NetworkRecord> {
  checkNetworkName(cfg.name);
  if (cfg.external) {
    const rec = readRecord(ctx.root, cfg.name);
    if (!rec) {
      throw new BerthError('network/not-found', `network ${cfg.name} declared as external, but could not be found`, {
        hint: `create it first (another project's network, or remove "external: true")`,
      });
    }
    opts.onRecorded?.(rec);
    return rec;
  }
  const bridge = cfg.bridgeName ?? bridgeNameFor(ctx.root, cfg.name);
  if (!isValidIfname(bridge)) throw new BerthError('network/invalid-name', `network ${cfg.name}: bridge name "${bridge}" is not a valid interface name (max 15 chars)`);
  // a removal a crash interrupted is finished first: its bridge may be half gone
  if (readRecord(ctx.root, cfg.name)?.removing) await removeNetworkOrThrow(ctx, cfg.name, { force: true });
  return withNetlink(ctx, async (nl) => {
    const host = await nl.host();
    trace(`network ${cfg.name}: relay ready`);
    const rec = await withLock(globalLock(ctx.root), async () => {
      const existing = readRecord(ctx.root, cfg.name);
      if (existing) {
        checkSame(existing, cfg);
        return existing;
      }
      const others = listRecords(ctx.root).filter((r) => r.name !== cfg.name);
      const clash = others.find((r) => r.bridge === bridge);
      if (clash) throw new BerthError('network/name-conflict', `network ${cfg.name}: bridge ${bridge} is already used by network ${clash.name}`);
      const taken = [...(await hostTaken(nl, host)), ...others.map((r) => parseCidr(r.subnet))];
      const choice = chooseSubnet(cfg.name, taken, cfg);
      if (cfg.subnet) {
        const s = parseCidr(choice.subnet);
        const other = others.find((r) => overlaps(parseCidr(r.subnet), s));
        if (other) throw new BerthError('network/subnet-overlap', `network ${cfg.name}: subnet ${choice.subnet} overlaps network ${other.name} (${other.subnet})`);
      }
      const created: NetworkRecord = {
        name: cfg.name,
        project: cfg.project,
        bridge,
        ...choice,
        internal: cfg.internal ?? false,
        mtu: cfg.mtu ?? 1500,
        labels: { ...cfg.labels },
        created: new Date().toISOString(),
      };
      writeRecord(ctx.root, created);
      return created;
    });
    opts.onRecorded?.(rec);
    trace(`network ${cfg.name}: recorded`);
    // The FORWARD listing (an nft exec) overlaps the bridge creation.
    const forward = prefetchForwardChain(nl.exec);
    // A bridge berth made is berth's to delete: the record says so (a `bth…` name always is
    // berth's; a com.docker.network.bridge.name that existed before is used, never deleted).
    if ((await ensureBridge(ctx, nl, host, rec)) && !ownsBridge(rec)) writeRecord(ctx.root, { ...rec, bridgeCreated: true });
    trace(`network ${cfg.name}: bridge up`);
    opts.onBridged?.();
    await syncFirewall(ctx.root, { forward, via: nl.exec });
    trace(`network ${cfg.name}: firewall synced`);
    return rec;
  });
}
