// removeNetwork: best effort and idempotent (missing = removed). Endpoints still recorded
// are detached first when `force`, otherwise the network is reported in use.
import { rmSync } from 'node:fs';
import { AggregateBerthError, BerthError } from '../errors.js';
import { detachContainer } from './detach-container.js';
import { prefetchForwardChain, syncFirewall } from './firewall/nft.js';
import { withNetlink } from './session.js';
import { endpointsDir, leaseDir, listEndpoints, readRecord, recordPath } from './state.js';
import type { NetworkContext, TeardownReport } from './types.js';

export interface RemoveNetworkOptions {
  /** Detach containers still recorded on it (their veths, leases, ports) instead of failing. */
  readonly force?: boolean;
  /** The network is external to the project: never removed (no-op). */
  readonly external?: boolean;
}

export async function removeNetwork(ctx: NetworkContext, name: string, opts: RemoveNetworkOptions = {}): Promise<TeardownReport> {
  const removed: string[] = [];
  const errors: unknown[] = [];
  if (opts.external) return { removed, errors };
  const rec = readRecord(ctx.root, name);
  if (!rec) return { removed, errors };
  const attached = listEndpoints(ctx.root, name);
  if (attached.length && !opts.force) {
    throw new BerthError('network/in-use', `network ${name} still has ${attached.length} container(s) attached (${attached.map((e) => e.containerId).join(', ')})`, {
      hint: 'stop and remove those containers first',
    });
  }
  await withNetlink(ctx, async (nl) => {
    const step = async (what: string, fn: () => Promise<unknown> | unknown): Promise<void> => {
      try {
        await fn();
        removed.push(what);
      } catch (e) {
        errors.push(e);
      }
    };
    // Concurrently: their veth deletions are grouped into one kernel unregister.
    await Promise.all(attached.map((ep) => step(`endpoint ${ep.containerId}`, async () => {
      const r = await detachContainer({ ...ctx, netlink: nl }, ep.containerId, { networks: [name] });
      errors.push(...r.errors);
    })));
    // The FORWARD listing (an nft exec) overlaps the bridge deletion (an RCU grace period).
    const forward = prefetchForwardChain();
    const host = await nl.host();
    await step(`bridge ${rec.bridge}`, () => nl.deleteLink(host, rec.bridge));
    await step(`leases of ${name}`, () => rmSync(leaseDir(ctx.root, name), { recursive: true, force: true }));
    await step(`endpoints of ${name}`, () => rmSync(endpointsDir(ctx.root, name), { recursive: true, force: true }));
    await step(`record ${name}`, () => rmSync(recordPath(ctx.root, name), { force: true }));
    await step('firewall rules', () => syncFirewall(ctx.root, { forward }));
  });
  return { removed, errors };
}

/** Same, but throws one AggregateBerthError when anything failed. */
export async function removeNetworkOrThrow(ctx: NetworkContext, name: string, opts: RemoveNetworkOptions = {}): Promise<void> {
  const r = await removeNetwork(ctx, name, opts);
  if (r.errors.length) throw new AggregateBerthError('network/teardown', `removing network ${name} was incomplete`, r.errors);
}
