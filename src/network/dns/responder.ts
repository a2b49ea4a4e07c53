// The embedded DNS responder of one network: a UDP socket on the bridge gateway (host side,
// so no namespace games), answering A for the containers' names from the endpoint records
// on disk (refreshed on every change), everything else forwarded to the host's resolvers.
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { BerthError } from '../../errors.js';
import { hostUpstreams } from '../render.js';
import { endpointsDir, endpointsOf, listEndpoints, readRecord } from '../state.js';
import type { DnsRecords, DnsResponder, DnsResponderOptions, NetworkContext } from '../types.js';
import { buildReply, parseQuery, RCODE_NXDOMAIN, RCODE_OK, RCODE_SERVFAIL, TYPE_A, type Question } from './packet.js';

/** name -> addresses of every container on the network (sorted for determinism). */
export function recordsFromEndpoints(root: string, network: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ep of listEndpoints(root, network)) {
    for (const n of ep.names) out.set(n, [...(out.get(n) ?? []), ep.address]);
  }
  for (const v of out.values()) v.sort();
  return out;
}

/**
 * Names on every network the asking container (found by its source address on this network)
 * is attached to, like Docker's resolver: a container on `front` and `back` resolves both.
 */
export function recordsForClient(root: string, network: string, clientIp: string): Map<string, string[]> {
  const me = listEndpoints(root, network).find((e) => e.address === clientIp);
  if (!me) return new Map();
  const out = new Map<string, string[]>();
  for (const ep of endpointsOf(root, me.containerId)) {
    if (ep.network === network) continue;
    for (const [name, addrs] of recordsFromEndpoints(root, ep.network)) if (!out.has(name)) out.set(name, addrs);
  }
  return out;
}

function forward(query: Buffer, upstreams: readonly string[], timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: Buffer | undefined): void => {
      clearTimeout(timer);
      s.close();
      resolve(r);
    };
    const next = (): void => {
      const up = upstreams[i++];
      if (!up) return finish(undefined);
      // `ip` or `ip:port` (tests run a fake upstream on a high port).
      const [host, port] = up.includes(':') && !up.includes('::') ? up.split(':') : [up, '53'];
      s.send(query, Number(port), host, (err) => (err ? next() : undefined));
      timer = setTimeout(next, timeoutMs);
    };
    s.on('message', (m) => finish(m));
    s.on('error', () => finish(undefined));
    next();
  });
}

export async function startDnsResponder(ctx: NetworkContext, opts: DnsResponderOptions): Promise<DnsResponder> {
  const rec = readRecord(ctx.root, opts.network);
  if (!rec) throw new BerthError('network/not-found', `network ${opts.network} not found (DNS responder)`);
  const port = opts.port ?? 53;
  const upstreams = opts.upstreams ?? hostUpstreams();
  let fromDisk = recordsFromEndpoints(ctx.root, opts.network);
  let extra: DnsRecords = new Map();
  let rr = 0;
  const lookup = (name: string): readonly string[] | undefined => fromDisk.get(name) ?? extra.get(name);

  const sock: Socket = createSocket({ type: 'udp4', reuseAddr: false });
  const answer = async (msg: Buffer, rinfo: { address: string; port: number }): Promise<void> => {
    const q: Question | undefined = parseQuery(msg);
    if (!q) return;
    let addrs = lookup(q.name);
    if (!addrs) {
      // A miss may be a record written a moment ago (the watcher is asynchronous).
      fromDisk = recordsFromEndpoints(ctx.root, opts.network);
      addrs = lookup(q.name) ?? recordsForClient(ctx.root, opts.network, rinfo.address).get(q.name);
    }
    let reply: Buffer | undefined;
    if (addrs && addrs.length) {
      // Known name: A records rotated per query (round robin); other types: empty NOERROR.
      const k = rr++ % addrs.length;
      const rotated = [...addrs.slice(k), ...addrs.slice(0, k)];
      reply = buildReply(msg, q, RCODE_OK, q.type === TYPE_A ? rotated : []);
    } else if (!q.name.includes('.') && upstreams.length === 0) {
      reply = buildReply(msg, q, RCODE_NXDOMAIN);
    } else {
      reply = (await forward(msg, upstreams)) ?? buildReply(msg, q, RCODE_SERVFAIL);
    }
    sock.send(reply, rinfo.port, rinfo.address);
  };
  sock.on('message', (m, r) => void answer(m, r).catch(() => undefined));
  await new Promise<void>((resolve, reject) => {
    sock.once('error', (e) => reject(new BerthError('network/dns', `network ${opts.network}: cannot listen on ${rec.gateway}:${port}: ${e.message}`, { cause: e })));
    sock.bind(port, rec.gateway, () => resolve());
  });
  sock.on('error', () => undefined);

  let watcher: FSWatcher | undefined;
  const refresh = async (): Promise<void> => {
    fromDisk = recordsFromEndpoints(ctx.root, opts.network);
  };
  if (opts.watch ?? true) {
    const dir = endpointsDir(ctx.root, opts.network);
    mkdirSync(dir, { recursive: true });
    watcher = watch(dir, () => void refresh());
    watcher.on('error', () => undefined);
  }
  return {
    address: rec.gateway,
    port: sock.address().port,
    setRecords(records) {
      extra = new Map([...records].map(([k, v]) => [k.toLowerCase(), [...v]]));
    },
    refresh,
    async close() {
      watcher?.close();
      await new Promise<void>((r) => sock.close(() => r()));
    },
  };
}
