// removeNetwork: best effort and idempotent (missing = removed). Endpoints still recorded
// are dropped with it when `force`, otherwise the network is reported in use.
//
// The bridge removal (two rcu_barrier()s in the kernel, ~40 ms, shared by the veths deleted
// in the same batch; it is done once the kernel announced the links gone, after the first:
// netlink.ts deleteLinks) and the firewall rewrite (nft runs) go side by side, both in the
// relay. The record is marked `removing` first: the firewall stops rendering it, and a
// crash from there on leaves a record that the next down (or an up, before re-creating)
// finishes removing.
import { AggregateBerthError, BerthError } from '../errors.js';
import { prefetchForwardChain, syncFirewall } from './firewall/nft.js';
import { isBerthVethName, ownsBridge } from './names.js';
import { parseCidr } from './ipam/cidr.js';
import type { Namespace, Netlink } from './netlink/netlink.js';
import { withNetlink } from './session.js';
import { trace } from '../util/trace.js';
import { endpointsDir, leaseDir, listEndpoints, readRecord, recordPath, writeRecord } from './state.js';
import type { NetworkContext, NetworkRecord, TeardownReport } from './types.js';
const { rmSync } = process.getBuiltinModule('node:fs');

export interface RemoveNetworkOptions {
  /** Detach containers still recorded on it (their veths, leases, DNS records) instead of failing. */
  readonly force?: boolean;
  /** The network is external to the project: never removed (no-op). */
  readonly external?: boolean;
  /** Called once the bridge's deletion is requested (or nothing is left to request). */
  readonly onRequested?: () => void;
}

export async function removeNetwork(ctx: NetworkContext, name: string, opts: RemoveNetworkOptions = {}): Promise<TeardownReport> {
  const removed: string[] = [];
  const errors: unknown[] = [];
  if (opts.external) {
    opts.onRequested?.();
    return { removed, errors };
  }
  const rec = readRecord(ctx.root, name);
  if (!rec) {
    opts.onRequested?.();
    return { removed, errors };
  }
  const attached = listEndpoints(ctx.root, name);
  if (attached.length && !opts.force) {
    throw new BerthError('network/in-use', `network ${name} still has ${attached.length} container(s) attached (${attached.map((e) => e.containerId).join(', ')})`, {
      hint: 'stop and remove those containers first',
    });
  }
  const step = async (what: string, fn: () => unknown): Promise<void> => {
    try {
      await fn();
      removed.push(what);
    } catch (e) {
      errors.push(e);
    }
  };
  if (!rec.removing) writeRecord(ctx.root, { ...rec, removing: true });
  await withNetlink(ctx, async (nl) => {
    // The firewall rewrite (nft, run by the relay: no fork of this process) and the bridge's
    // deletion (the kernel's RCU waits, which the relay awaits in a child) go side by side.
    const firewall = step('firewall rules', async () => {
      await syncFirewall(ctx.root, { forward: prefetchForwardChain(nl.exec), via: nl.exec });
      trace(`network ${name}: firewall synced`);
    });
    let requested = false;
    const onRequested = (): void => {
      if (!requested) opts.onRequested?.();
      requested = true;
    };
    await step(`bridge ${rec.bridge} and its ports`, () => deleteBridgeWithPorts(nl, rec, attached.map((ep) => ep.hostIfname).filter(isBerthVethName), onRequested));
    onRequested(); // (when the bridge step failed before its request)
    await firewall;
  });
  if (errors.length) return { removed, errors };
  await step(`leases of ${name}`, () => rmSync(leaseDir(ctx.root, name), { recursive: true, force: true }));
  await step(`endpoints of ${name}`, () => rmSync(endpointsDir(ctx.root, name), { recursive: true, force: true }));
  await step(`record ${name}`, () => rmSync(recordPath(ctx.root, name), { force: true }));
  return { removed, errors };
}

/**
 * The bridge and the recorded host veth ends in one kernel unregister (tagged with one link
 * group, then the group deleted: the bridge's two rcu_barrier()s serve them all). Most ends
 * are gone already or going: the kernel unregisters both ends of a veth when a stopped
 * container's network namespace dies; a missing one counts as removed.
 */
async function deleteBridgeWithPorts(nl: Netlink, rec: NetworkRecord, recorded: readonly string[], onRequested: () => void): Promise<void> {
  const host: Namespace = await nl.host();
  // an interface that existed before the network (a custom bridge name) is not berth's to
  // delete: only the gateway address berth put on it goes
  const ours = ownsBridge(rec);
  await nl.deleteLinks(host, ours ? [rec.bridge, ...recorded] : [...recorded], onRequested);
  if (!ours && rec.gatewayAdded) {
    const link = await nl.getLink(host, rec.bridge);
    if (link) await nl.deleteAddress(host, link.index, rec.gateway, parseCidr(rec.subnet).prefixLength);
  }
  trace(`network ${rec.name}: bridge and ports deleted`);
}

/** Same, but throws one AggregateBerthError when anything failed. */
export async function removeNetworkOrThrow(ctx: NetworkContext, name: string, opts: RemoveNetworkOptions = {}): Promise<void> {
  const r = await removeNetwork(ctx, name, opts);
  if (r.errors.length) throw new AggregateBerthError('network/teardown', `removing network ${name} was incomplete`, r.errors);
}
