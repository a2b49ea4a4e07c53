// Published ports: a clear error before anything starts when a host port is taken, then
// DNAT rules in berth's nft table (rendered from ports/<id>.json, applied atomically).
import { BerthError, errnoCode } from '../errors.js';
import { syncFirewall } from './firewall/nft.js';
import { parseIpv4 } from './ipam/cidr.js';
import { withLock } from './lock.js';
import { endpointsOf, globalLock, listAllPorts, readPorts, readRecord, writePorts } from './state.js';
import type { NetworkContext, PortProtocol, PortRequest, PublishOptions, PublishedPort } from './types.js';
import { compareText } from '../util/compare.js';
const { createSocket } = process.getBuiltinModule('node:dgram');
const { createServer } = process.getBuiltinModule('node:net');

const anyIp = (ip: string | undefined): string => (ip && ip !== '' ? ip : '0.0.0.0');
const sameAddr = (a: string, b: string): boolean => a === b || a === '0.0.0.0' || b === '0.0.0.0';

/** Binds and releases host:port; resolves the bound port, rejects with the errno. */
function probe(hostIp: string, port: number, protocol: PortProtocol): Promise<number> {
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const s = createSocket('udp4');
      s.once('error', (e) => {
        s.close();
        reject(e);
      });
      s.bind({ address: hostIp, port, exclusive: true }, () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
      return;
    }
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ host: hostIp, port, exclusive: true }, () => {
      const a = srv.address();
      const p = typeof a === 'object' && a ? a.port : port;
      srv.close(() => resolve(p));
    });
  });
}

/** berth publishes IPv4 only: an IPv6 or malformed host_ip is a clear error. */
function checkHostIp(service: string, ip: string): void {
  if (parseIpv4(ip) === undefined) {
    throw new BerthError('network/invalid-host-ip', `service ${service}: host_ip ${ip} is not an IPv4 address (berth publishes ports on IPv4 only)`, {
      hint: 'use an IPv4 host_ip, or leave it out for every address',
    });
  }
}

function inUse(r: PortRequest, by: string): BerthError {
  return new BerthError('network/port-in-use', `service ${r.service}: port ${r.hostPort}/${r.protocol} is already in use on ${anyIp(r.hostIp)}${by}`, {
    hint: 'stop whatever uses it or publish another host port',
    details: { service: r.service, port: r.hostPort, protocol: r.protocol },
  });
}

/**
 * Fails with `network/port-in-use` naming service and port when any requested host port is
 * taken: by another request in the list, another berth container, or any host socket.
 * `ignoreContainers`: containers being replaced (their ports will be released first).
 * Unless `strict`, a port berth already publishes for a container of the *same service*
 * is not a conflict: the pre-start check of `up` runs while the container it recreates
 * still holds its ports (publishPorts itself checks strictly).
 */
export async function checkPortsFree(ctx: NetworkContext, requests: readonly PortRequest[], ignoreContainers: readonly string[] = [], opts: { strict?: boolean } = {}): Promise<void> {
  const published = listAllPorts(ctx.root).filter((p) => !ignoreContainers.includes(p.containerId));
  const sorted = [...requests].filter((r) => r.hostPort !== 0).sort((a, b) => a.hostPort - b.hostPort || compareText(a.service, b.service));
  for (const [i, r] of sorted.entries()) {
    const ip = anyIp(r.hostIp);
    checkHostIp(r.service, ip);
    const dup = sorted.slice(0, i).find((o) => o.hostPort === r.hostPort && o.protocol === r.protocol && sameAddr(anyIp(o.hostIp), ip));
    if (dup) throw inUse(r, ` (also published by service ${dup.service})`);
    const other = published.find((p) => p.hostPort === r.hostPort && p.protocol === r.protocol && sameAddr(p.hostIp, ip));
    if (other && (opts.strict || other.service !== r.service)) throw inUse(r, ` (published by service ${other.service}, container ${other.containerId})`);
    if (other) continue;
    try {
      await probe(ip, r.hostPort, r.protocol);
    } catch (e) {
      if (errnoCode(e) === 'EADDRINUSE') throw inUse(r, '');
      if (errnoCode(e) === 'EADDRNOTAVAIL') {
        throw new BerthError('network/invalid-host-ip', `service ${r.service}: host_ip ${ip} is not an address of this host`);
      }
      throw new BerthError('network/port', `service ${r.service}: cannot use port ${r.hostPort}/${r.protocol} on ${ip}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** Publishes the container's ports (replacing its previous set); hostPort 0 picks a free one. */
export async function publishPorts(ctx: NetworkContext, opts: PublishOptions): Promise<PublishedPort[]> {
  const eps = endpointsOf(ctx.root, opts.containerId);
  const ep = opts.network ? eps.find((e) => e.network === opts.network) : eps[0];
  if (!ep) {
    throw new BerthError('network/not-attached', `service ${opts.service}: container ${opts.containerId} has no network${opts.network ? ` ${opts.network}` : ''} to publish ports on`);
  }
  const rec = readRecord(ctx.root, ep.network);
  const out = await withLock(globalLock(ctx.root), async () => {
    await checkPortsFree(
      ctx,
      opts.ports.map((p) => ({ service: opts.service, hostIp: p.hostIp, hostPort: p.hostPort, protocol: p.protocol })),
      [opts.containerId],
      { strict: true },
    );
    const taken = new Set(listAllPorts(ctx.root).map((p) => `${p.protocol}/${p.hostPort}`));
    const result: PublishedPort[] = [];
    for (const p of opts.ports) {
      const hostIp = anyIp(p.hostIp);
      checkHostIp(opts.service, hostIp);
      let hostPort = p.hostPort;
      while (hostPort === 0 || (p.hostPort === 0 && taken.has(`${p.protocol}/${hostPort}`))) hostPort = await probe(hostIp, 0, p.protocol);
      taken.add(`${p.protocol}/${hostPort}`);
      result.push({
        hostIp,
        hostPort,
        containerIp: ep.address,
        containerPort: p.containerPort,
        protocol: p.protocol,
        service: opts.service,
        containerId: opts.containerId,
        bridge: rec?.bridge ?? '',
      });
    }
    writePorts(ctx.root, opts.containerId, result);
    return result;
  });
  await syncFirewall(ctx.root, { via: ctx.netlink?.exec });
  return out;
}

/** Removes the container's published ports (idempotent). */
export async function unpublishPorts(ctx: NetworkContext, containerId: string): Promise<void> {
  if (readPorts(ctx.root, containerId).length === 0) return;
  writePorts(ctx.root, containerId, []);
  await syncFirewall(ctx.root, { via: ctx.netlink?.exec });
}
