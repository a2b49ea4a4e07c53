/**
 * A container of `up` starts once the embedded DNS of its project's networks answers. The
 * project's supervisor serves it (supervisor.ts), and it is started beside the first
 * containers; docker's DNS answers from a container's first instruction, and a proxy that
 * resolves its upstreams at start fails for good on a refused query (nginx: `host not found
 * in upstream "app1:8000"`). Bounded: past DNS_READY_MS a warning, and the start goes on.
 */
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import type { StateStore } from './state-store.js';

export const DNS_READY_MS = 5_000;
const POLL_MS = 10;

export async function waitDnsServing(ctx: EngineContext, store: StateStore, networks: readonly string[], who: { service: string; container: string }, signal?: AbortSignal): Promise<void> {
  const serving = ctx.ports.network.dnsServing?.bind(ctx.ports.network);
  if (!serving || networks.length === 0) return;
  // the networks the project's supervisor serves: its own, made (not external ones)
  const own = Object.values(store.read()?.networks ?? {});
  const wanted = networks.filter((n) => own.some((e) => e.name === n && e.phase === 'created' && !e.external));
  const deadline = ctx.now() + DNS_READY_MS;
  for (const network of wanted) {
    while (!(await serving(network))) {
      if (signal?.aborted) return;
      if (ctx.now() >= deadline) {
        emit(ctx, {
          kind: 'warning',
          service: who.service,
          message: `container ${who.container}: the DNS of network ${network} does not answer after ${DNS_READY_MS / 1000}s; starting it anyway (see the project's supervisor.log)`,
        });
        return;
      }
      await ctx.sleep(POLL_MS, signal);
    }
  }
}
