// Address leases, host-local style: one file per lease `ipam/<network>/<ip>` holding the
// container id, created exclusively under the network's lock; `last` makes allocation
// round-robin so a crash-looping container does not get the same address back at once.
import { BerthError, errnoCode } from '../../errors.js';
import { withLock } from '../lock.js';
import { leaseDir } from '../state.js';
import type { NetworkRecord } from '../types.js';
import { contains, formatIpv4, lastOf, parseCidr, parseIpv4, sizeOf } from './cidr.js';
const { mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

function tryCreate(path: string, owner: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, owner);
    closeSync(fd);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    throw e;
  }
}

const readOwner = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Leases one address of `net` for `owner` (the requested one when given). */
export async function allocateAddress(root: string, net: NetworkRecord, owner: string, requested?: string): Promise<string> {
  const dir = leaseDir(root, net.name);
  mkdirSync(dir, { recursive: true });
  const subnet = parseCidr(net.subnet);
  const range = parseCidr(net.ipRange);
  const gateway = parseIpv4(net.gateway);
  const reserved = (n: number): boolean => n === subnet.base || n === lastOf(subnet) || n === gateway;
  return withLock(join(dir, '.lock'), () => {
    if (requested !== undefined) {
      const n = parseIpv4(requested);
      if (n === undefined || !contains(subnet, n) || reserved(n)) {
        throw new BerthError('network/invalid-address', `network ${net.name}: ipv4_address ${requested} is not a usable address of subnet ${net.subnet}`);
      }
      const path = join(dir, formatIpv4(n));
      if (!tryCreate(path, owner) && readOwner(path) !== owner) {
        throw new BerthError('network/address-in-use', `network ${net.name}: address ${requested} is already in use by container ${readOwner(path)}`);
      }
      return formatIpv4(n);
    }
    const lastPath = join(dir, 'last');
    const last = parseIpv4(readOwner(lastPath) ?? '') ?? range.base;
    const size = sizeOf(range);
    let start = contains(range, last) ? last - range.base + 1 : 0;
    for (let i = 0; i < size; i++, start++) {
      const n = (range.base + (start % size)) >>> 0;
      if (reserved(n) || !contains(subnet, n)) continue;
      const ip = formatIpv4(n);
      if (tryCreate(join(dir, ip), owner)) {
        writeFileSync(lastPath, ip);
        return ip;
      }
    }
    throw new BerthError('network/addresses-exhausted', `network ${net.name}: no free address left in ${net.ipRange}`);
  });
}

/** Releases every lease of `owner` on the network (missing = released). Returns the addresses. */
export function releaseAddresses(root: string, network: string, owner: string): string[] {
  const dir = leaseDir(root, network);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const ip of names) {
    if (parseIpv4(ip) === undefined) continue;
    if (readOwner(join(dir, ip)) === owner) {
      rmSync(join(dir, ip), { force: true });
      out.push(ip);
    }
  }
  return out;
}

/** Leases still held on the network (ip -> owner). */
export function listLeases(root: string, network: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    for (const ip of readdirSync(leaseDir(root, network)).sort()) {
      if (parseIpv4(ip) !== undefined) out.set(ip, readOwner(join(leaseDir(root, network), ip)) ?? '');
    }
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw e;
  }
  return out;
}
