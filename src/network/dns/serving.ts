// Is a network's DNS answered? The supervisor's responder (responder.ts) binds UDP port 53 on
// the network's gateway in the host's network namespace; /proc/net/udp of that namespace says
// whether a socket is bound there, whoever asks (the CLI's `up` runs in the same namespace).
import type { NetworkContext } from '../types.js';
import { readRecord } from '../state.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

/** `a.b.c.d:port` as /proc/net/udp writes a local address: the address's 32 bits in host (little-endian) order, then the port. */
export function procNetAddress(ip: string, port: number): string {
  const hex = ip
    .split('.')
    .reverse()
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .join('');
  return `${hex}:${port.toString(16).padStart(4, '0')}`.toUpperCase();
}

/** Whether /proc/net/udp's text has a socket bound to `ip:port`. */
export function boundIn(procNetUdp: string, ip: string, port: number): boolean {
  const want = procNetAddress(ip, port);
  return procNetUdp.split('\n').some((line) => line.trim().split(/\s+/)[1] === want);
}

/** Whether the network's embedded DNS answers (its gateway:53 is bound); false for an unknown network. */
export function dnsServing(ctx: Pick<NetworkContext, 'root'>, network: string, port = 53): boolean {
  const rec = readRecord(ctx.root, network);
  if (!rec) return false;
  try {
    return boundIn(readFileSync('/proc/net/udp', 'utf8'), rec.gateway, port);
  } catch {
    return true; // no /proc to look in: nothing to wait for
  }
}
