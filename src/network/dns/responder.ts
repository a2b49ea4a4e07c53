// The embedded DNS responder of one network: a UDP socket on the bridge gateway (host side,
// so no namespace games), answering A for the containers' names from the endpoint records
// on disk (refreshed on every change), everything else forwarded to the host's resolvers.
// A container must not make the responder read the disk per query: a miss reloads the records
// at most once per MISS_RELOAD_MS. Forwarded queries go out with a fresh random id from a
// fresh port, and only a reply from the server asked, with that id, is taken.
import type { Socket } from 'node:dgram';
import type { Server } from 'node:net';
import type { FSWatcher } from 'node:fs';
import { BerthError } from '../../errors.js';
import { hostUpstreams } from '../render.js';
import { endpointsDir, endpointsOf, listEndpoints, readRecord } from '../state.js';
import type { DnsRecords, DnsResponder, DnsResponderOptions, NetworkContext } from '../types.js';
import { buildReply, parseQuery, RCODE_NXDOMAIN, RCODE_OK, RCODE_SERVFAIL, TYPE_A, type Question } from './packet.js';
import { compareText } from '../../util/compare.js';
const { createSocket } = process.getBuiltinModule('node:dgram');
const { createServer } = process.getBuiltinModule('node:net');
const { mkdirSync, readFileSync, watch } = process.getBuiltinModule('node:fs');
const { randomBytes } = process.getBuiltinModule('node:crypto');

/** Names of the links in this process's network namespace (/proc/net/dev is per netns,
 *  unlike /sys/class/net which follows the sysfs mount). */
export function liveLinks(): Set<string> {
  try {
    return new Set(
      readFileSync('/proc/net/dev', 'utf8')
        .split('\n')
        .slice(2)
        .map((l) => l.split(':')[0]!.trim())
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

/**
 * name -> addresses of every container on the network (sorted for determinism). With
 * `live`, endpoints whose host veth is gone (a stopped container: its netns, and so its
 * veth pair, went away) are left out, even before the engine detaches them.
 */
export function recordsFromEndpoints(root: string, network: string, live?: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ep of listEndpoints(root, network)) {
    if (live && !live.has(ep.hostIfname)) continue;
    for (const n of ep.names) out.set(n, [...(out.get(n) ?? []), ep.address]);
  }
  for (const v of out.values()) v.sort();
  return out;
}

/**
 * Names on every network the asking container (found by its source address on this network)
 * is attached to, like Docker's resolver: a container on `front` and `back` resolves both.
 */
export function recordsForClient(root: string, network: string, clientIp: string, live?: ReadonlySet<string>): Map<string, string[]> {
  const me = listEndpoints(root, network).find((e) => e.address === clientIp);
  if (!me) return new Map();
  const out = new Map<string, string[]>();
  for (const ep of endpointsOf(root, me.containerId)) {
    if (ep.network === network) continue;
    for (const [name, addrs] of recordsFromEndpoints(root, ep.network, live)) if (!out.has(name)) out.set(name, addrs);
  }
  return out;
}

/** Forwarded queries in flight at once (one UDP socket each); more are answered SERVFAIL. */
export const MAX_FORWARDS = 256;
/** DNS-over-TCP connections at once (each may sit 10 s). */
export const MAX_TCP_CONNECTIONS = 64;

/** At most one reload of the records from disk per this many ms, however many misses. */
export const MISS_RELOAD_MS = 100;

/** `ip` or `ip:port` (tests run a fake upstream on a high port). */
function upstreamAddress(up: string): { host: string; port: number } {
  const [host, port] = up.includes(':') && !up.includes('::') ? up.split(':') : [up, '53'];
  return { host: host!, port: Number(port) };
}

/**
 * Asks the upstreams in turn (each `timeoutMs`); the query goes out with a random id and only
 * a reply from the upstream asked with that id counts (an off-path spoofer must guess the
 * port and the id); the reply goes back with the client's id.
 */
export function forward(query: Buffer, upstreams: readonly string[], timeoutMs = 2000): Promise<Buffer | undefined> {
  if (query.length < 12) return Promise.resolve(undefined);
  const clientId = query.readUInt16BE(0);
  const id = randomBytes(2).readUInt16BE(0);
  const out = Buffer.from(query);
  out.writeUInt16BE(id, 0);
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    let i = 0;
    let asked: { host: string; port: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (r: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.close();
      resolve(r);
    };
    const next = (): void => {
      clearTimeout(timer);
      if (done) return;
      const up = upstreams[i++];
      if (!up) return finish(undefined);
      asked = upstreamAddress(up);
      s.send(out, asked.port, asked.host, (err) => (err ? next() : undefined));
      timer = setTimeout(next, timeoutMs);
    };
    s.on('message', (m, from) => {
      if (!asked || from.address !== asked.host || from.port !== asked.port || m.length < 12 || m.readUInt16BE(0) !== id) return;
      const reply = Buffer.from(m);
      reply.writeUInt16BE(clientId, 0);
      finish(reply);
    });
    s.on('error', () => finish(undefined));
    next();
  });
}

export async function startDnsResponder(ctx: NetworkContext, opts: DnsResponderOptions): Promise<DnsResponder> {
  const rec = readRecord(ctx.root, opts.network);
  if (!rec) throw new BerthError('network/not-found', `network ${opts.network} not found (DNS responder)`);
  const port = opts.port ?? 53;
  const upstreams = opts.upstreams ?? hostUpstreams();
  const liveCheck = opts.liveCheck ?? true;
  interface Entry {
    readonly address: string;
    readonly link: string;
  }
  const load = (): Map<string, Entry[]> => {
    const out = new Map<string, Entry[]>();
    for (const ep of listEndpoints(ctx.root, opts.network)) {
      for (const n of ep.names) out.set(n, [...(out.get(n) ?? []), { address: ep.address, link: ep.hostIfname }]);
    }
    for (const v of out.values()) v.sort((a, b) => compareText(a.address, b.address));
    return out;
  };
  const now = opts.now ?? Date.now;
  let fromDisk = load();
  let loadedAt = now();
  /** recordsForClient per client address, for the current load (it reads the disk too). */
  const otherNetworks = new Map<string, Map<string, string[]>>();
  const reload = (): void => {
    fromDisk = load();
    loadedAt = now();
    otherNetworks.clear();
  };
  const forClient = (client: string): Map<string, string[]> => {
    let known = otherNetworks.get(client);
    if (!known) {
      if (otherNetworks.size >= 1024) otherNetworks.clear();
      known = recordsForClient(ctx.root, opts.network, client, liveCheck ? liveLinks() : undefined);
      otherNetworks.set(client, known);
    }
    return known;
  };
  let extra: DnsRecords = new Map();
  let inFlight = 0;
  const maxForwards = opts.maxForwards ?? MAX_FORWARDS;
  let rr = 0;
  const lookup = (name: string): readonly string[] | undefined => {
    const entries = fromDisk.get(name);
    if (entries) {
      const live = liveCheck ? liveLinks() : undefined;
      const addrs = entries.filter((e) => !live || live.has(e.link)).map((e) => e.address);
      if (addrs.length) return addrs;
    }
    return extra.get(name);
  };

  const sock: Socket = createSocket({ type: 'udp4', reuseAddr: false });
  const resolve = async (msg: Buffer, client: string): Promise<Buffer | undefined> => {
    const q: Question | undefined = parseQuery(msg);
    if (!q) return undefined;
    let addrs = lookup(q.name);
    if (!addrs) {
      // A miss may be a record written a moment ago (the watcher is asynchronous): reload,
      // but not more often than MISS_RELOAD_MS (a flood of misses is not a flood of reads).
      if (now() - loadedAt >= MISS_RELOAD_MS) reload();
      addrs = lookup(q.name) ?? forClient(client).get(q.name);
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
      // each forward holds a socket for up to 2 s a server: a flood of queries for names
      // nobody answers must not take the supervisor's file descriptors
      if (inFlight >= maxForwards) return buildReply(msg, q, RCODE_SERVFAIL);
      inFlight++;
      try {
        reply = (await forward(msg, upstreams)) ?? buildReply(msg, q, RCODE_SERVFAIL);
      } finally {
        inFlight--;
      }
    }
    return reply;
  };
  sock.on('message', (m, r) => {
    void resolve(m, r.address)
      .then((reply) => reply && sock.send(reply, r.port, r.address))
      .catch(() => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', (e) => reject(new BerthError('network/dns', `network ${opts.network}: cannot listen on ${rec.gateway}:${port}: ${e.message}`, { cause: e })));
    sock.bind(port, rec.gateway, () => resolve());
  });
  sock.on('error', () => undefined);

  // DNS over TCP on the same port (resolvers retry there; messages are length-prefixed).
  const tcp: Server = createServer((conn) => {
    let buf = Buffer.alloc(0);
    conn.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void resolve(Buffer.from(msg), conn.remoteAddress ?? '')
          .then((reply) => {
            if (!reply || conn.destroyed) return;
            const len = Buffer.alloc(2);
            len.writeUInt16BE(reply.length);
            conn.write(Buffer.concat([len, reply]));
          })
          .catch(() => undefined);
      }
    });
    conn.on('error', () => undefined);
    conn.setTimeout(10_000, () => conn.destroy());
  });
  await new Promise<void>((ok, fail) => {
    tcp.once('error', (e) => {
      sock.close();
      fail(new BerthError('network/dns', `network ${opts.network}: cannot listen on ${rec.gateway}:${sock.address().port}/tcp: ${e.message}`, { cause: e }));
    });
    tcp.listen(sock.address().port, rec.gateway, () => ok());
  });
  tcp.on('error', () => undefined);
  tcp.maxConnections = MAX_TCP_CONNECTIONS;

  let watcher: FSWatcher | undefined;
  const refresh = async (): Promise<void> => reload();
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
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}
