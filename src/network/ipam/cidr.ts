// IPv4 arithmetic on 32-bit unsigned numbers (pure).
import { BerthError } from '../../errors.js';

export interface Cidr {
  /** Network address as a number. */
  readonly base: number;
  readonly prefixLength: number;
}

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export const maskOf = (prefixLength: number): number => (prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0);
export const sizeOf = (c: Cidr): number => 2 ** (32 - c.prefixLength);
export const lastOf = (c: Cidr): number => (c.base + sizeOf(c) - 1) >>> 0;

/** `172.18.0.0/16` -> Cidr (host bits cleared); throws a BerthError naming `what`. */
export function parseCidr(s: string, what = 'subnet'): Cidr {
  const [ip, len, extra] = s.split('/');
  const n = ip === undefined ? undefined : parseIpv4(ip);
  const p = len === undefined || !/^\d{1,2}$/.test(len) ? NaN : Number(len);
  if (n === undefined || extra !== undefined || !(p >= 0 && p <= 32)) {
    throw new BerthError('network/invalid-subnet', `${what} "${s}" is not an IPv4 CIDR like 172.28.0.0/16`);
  }
  return { base: (n & maskOf(p)) >>> 0, prefixLength: p };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefixLength}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefixLength)) >>> 0 === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefixLength, b.prefixLength);
  return (a.base & maskOf(p)) >>> 0 === (b.base & maskOf(p)) >>> 0;
}
