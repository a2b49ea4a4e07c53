/**
 * `berth network ...` (NetworkService, src/api): networks outside compose projects (for
 * `external: true`). The netlink session a create needs lives and ends inside the call.
 */
import type { NetworkService } from '../api/index.js';
import { BerthError } from '../errors.js';
import { berthRoot } from '../util/berth-dirs.js';
import { loadNetwork, loadNetworkReading } from '../load.js';

export function networkService(env: Readonly<Record<string, string | undefined>>): NetworkService {
  const root = berthRoot(env);
  return {
    async create(o) {
      const m = await loadNetwork();
      const labels = Object.fromEntries((o.labels ?? []).map((l) => [l.split('=')[0]!, l.split('=').slice(1).join('=')]));
      const netlink = m.openNetlink();
      try {
        const rec = await m.ensureNetwork(
          { root, netlink },
          {
            name: o.name,
            project: '',
            internal: o.internal === true,
            labels,
            ...(o.subnet ? { subnet: o.subnet } : {}),
            ...(o.gateway ? { gateway: o.gateway } : {}),
            ...(o.ipRange ? { ipRange: o.ipRange } : {}),
          },
        );
        return rec.name;
      } finally {
        await netlink.close();
      }
    },
    async list() {
      const { inspect } = await loadNetworkReading();
      return inspect.listNetworks({ root }).map((n) => ({ ...n, containers: inspect.inspectNetwork({ root }, n.name)?.endpoints.length ?? 0 }));
    },
    async inspect(name) {
      const { inspect } = await loadNetworkReading();
      const v = inspect.inspectNetwork({ root }, name);
      return v ? { ...v.record, driver: 'bridge', endpoints: v.endpoints, leases: Object.fromEntries(v.leases) } : undefined;
    },
    async remove(name, o) {
      const m = await loadNetwork();
      if (!m.inspectNetwork({ root }, name)) throw new BerthError('network/not-found', `network ${name} not found`);
      await m.removeNetworkOrThrow({ root }, name, { force: o.force === true });
    },
  };
}
