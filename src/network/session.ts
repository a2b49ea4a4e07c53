// Runs `fn` with the context's shared Netlink session, or a private one closed afterwards.
import { Netlink } from './netlink/netlink.js';
import type { NetworkContext } from './types.js';

export async function withNetlink<T>(ctx: NetworkContext, fn: (nl: Netlink) => Promise<T>): Promise<T> {
  if (ctx.netlink) return fn(ctx.netlink);
  const nl = Netlink.open();
  try {
    return await fn(nl);
  } finally {
    await nl.close();
  }
}

/** One relay process for a batch of calls (a whole `up`/`down`); close() when done. */
export function openNetlink(): Netlink {
  return Netlink.open();
}
