// Picking a subnet for a new network: compose's ipam.config, or the first block of the
// pool that overlaps nothing on the host (routes, addresses) and no other berth network.
import { BerthError } from '../../errors.js';
import { contains, formatCidr, formatIpv4, overlaps, parseCidr, parseIpv4, type Cidr } from './cidr.js';

/** Default pool, like Docker's: 172.18-31.0.0/16, then 192.168.0-240.0/20. */
export function* defaultPool(): Generator<Cidr> {
  for (let b = 18; b <= 31; b++) yield { base: ((172 << 24) | (b << 16)) >>> 0, prefixLength: 16 };
  for (let c = 0; c < 256; c += 16) yield { base: ((192 << 24) | (168 << 16) | (c << 8)) >>> 0, prefixLength: 20 };
}

export interface SubnetChoice {
  readonly subnet: string;
  readonly gateway: string;
  readonly ipRange: string;
}

/**
 * `taken`: host routes/addresses and other berth networks (as CIDRs; default routes excluded).
 * `requested`: compose ipam.config values. Pure.
 */
export function chooseSubnet(network: string, taken: readonly Cidr[], requested: { subnet?: string; gateway?: string; ipRange?: string }, pool: Iterable<Cidr> = defaultPool()): SubnetChoice {
  let subnet: Cidr | undefined;
  if (requested.subnet) {
    subnet = parseCidr(requested.subnet, `network ${network}: subnet`);
    if (subnet.prefixLength > 30) throw new BerthError('network/invalid-subnet', `network ${network}: subnet ${requested.subnet} is too small (needs /30 or larger)`);
  } else {
    for (const c of pool) {
      if (!taken.some((t) => overlaps(t, c))) {
        subnet = c;
        break;
      }
    }
    if (!subnet) {
      throw new BerthError('network/pool-exhausted', `network ${network}: no free subnet left in the address pool`, {
        hint: 'remove unused networks (`berth down`) or set ipam.config[].subnet',
      });
    }
  }
  let gateway = (subnet.base + 1) >>> 0;
  if (requested.gateway) {
    const g = parseIpv4(requested.gateway);
    if (g === undefined || !contains(subnet, g)) {
      throw new BerthError('network/invalid-gateway', `network ${network}: gateway ${requested.gateway} is not inside subnet ${formatCidr(subnet)}`);
    }
    gateway = g;
  }
  let ipRange = subnet;
  if (requested.ipRange) {
    ipRange = parseCidr(requested.ipRange, `network ${network}: ip_range`);
    if (!contains(subnet, ipRange.base) || ipRange.prefixLength < subnet.prefixLength) {
      throw new BerthError('network/invalid-subnet', `network ${network}: ip_range ${requested.ipRange} is not inside subnet ${formatCidr(subnet)}`);
    }
  }
  return { subnet: formatCidr(subnet), gateway: formatIpv4(gateway), ipRange: formatCidr(ipRange) };
}
