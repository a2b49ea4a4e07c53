// detachContainer: best effort, idempotent: DNS records (endpoint files) first, then the
// host veth ends, leases, published ports. Missing objects count as removed.
import { syncFirewall } from './firewall/nft.js';
import { releaseAddresses } from './ipam/leases.js';
import { hostVethNameFor, isBerthVethName } from './names.js';
import { withNetlink } from './session.js';
import { listRecords, readEndpoint, readPorts, removeEndpoint, writePorts } from './state.js';
import type { NetworkContext, TeardownReport } from './types.js';

export interface DetachOptions {
  /** Only these networks (default: every network the container may be on). */
  readonly networks?: readonly string[];
  /** Skip explicit veth deletion (the caller frees the netns, which frees its veths). */
  readonly keepLinks?: boolean;
  /**
   * Networks being removed right after: their removal deletes the veths (with the bridge),
   * the DNS records and the leases (their directories) in one go; nothing is done per
   * container on them here.
   */
  readonly keepLinksOn?: readonly string[];
}

export async function detachContainer(ctx: NetworkContext, containerId: string, opts: DetachOptions = {}): Promise<TeardownReport> {
  const removed: string[] = [];
  const errors: unknown[] = [];
  const nets = listRecords(ctx.root).filter((r) => !opts.networks || opts.networks.includes(r.name));
  const step = async (what: string, fn: () => unknown): Promise<void> => {
    try {
      if ((await fn()) !== false) removed.push(what);
    } catch (e) {
      errors.push(e);
    }
  };
  const going = new Set(opts.keepLinksOn ?? []);
  const staying = nets.filter((n) => !going.has(n.name));
  // The derived name covers a crash before the endpoint record was written; the recorded one
  // a veth an older berth named otherwise (before names hashed the root).
  const veths = opts.keepLinks
    ? []
    : staying.flatMap((n) => [...new Set([hostVethNameFor(ctx.root, containerId, n.name), readEndpoint(ctx.root, n.name, containerId)?.hostIfname ?? ''])].filter(isBerthVethName));
  for (const n of staying) await step(`dns ${containerId}@${n.name}`, () => removeEndpoint(ctx.root, n.name, containerId));
  if (veths.length) {
    await withNetlink(ctx, async (nl) => {
      const host = await nl.host();
      await Promise.all(veths.map((v) => step(`veth ${v}`, () => nl.deleteLinkBatched(host, v))));
    });
  }
  for (const n of staying) await step(`leases ${containerId}@${n.name}`, () => releaseAddresses(ctx.root, n.name, containerId).length > 0);
  if (!opts.networks) {
    const ports = readPorts(ctx.root, containerId);
    if (ports.length) {
      await step(`ports ${containerId}`, async () => {
        writePorts(ctx.root, containerId, []);
        // not through the relay: in a down it is busy deleting the bridge
        await syncFirewall(ctx.root);
      });
    }
  }
  return { removed, errors };
}
