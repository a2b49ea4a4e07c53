// Kernel names for berth's links: `bth` + a short hash, at most 15 chars (IFNAMSIZ - 1).
import { DEFAULT_BERTH_ROOT } from '../util/berth-dirs.js';
const { createHash } = process.getBuiltinModule('node:crypto');

const hash = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

/**
 * Whether berth made (and so deletes) a network's bridge: a `bth…` name always is berth's; a
 * custom `com.docker.network.bridge.name` only when berth created it (`bridgeCreated`).
 */
export function ownsBridge(rec: { readonly bridge: string; readonly bridgeCreated?: boolean }): boolean {
  return rec.bridge.startsWith('bth') || rec.bridgeCreated === true;
}

/**
 * What a derived name hashes besides its own parts: nothing for the default root (the names
 * berth always gave there), the root itself for any other, so that two roots (two users, two
 * test runs) with the same project never derive one bridge or veth name: one's `down` would
 * delete the other's bridge, one's `up` adopt it. As the nft table name (firewall/nft.ts).
 */
const rootPart = (root: string): string => (root === DEFAULT_BERTH_ROOT ? '' : `${root}\0`);

/** The bridge of a network: `bth` + 10 hex chars of the root and the network's real name. */
export function bridgeNameFor(root: string, network: string): string {
  return `bth${hash(`net:${rootPart(root)}${network}`, 10)}`;
}

/** Host end of a container's veth on a network: `bth` + 11 hex chars (root, container, network). */
export function hostVethNameFor(root: string, containerId: string, network: string): string {
  return `bth${hash(`veth:${rootPart(root)}${containerId}:${network}`, 11)}`;
}

/** A host veth end berth named (`bth…`): a recorded name is deleted only then, never another link. */
export function isBerthVethName(name: string): boolean {
  return /^bth[0-9a-f]{11}$/.test(name);
}

/** Is this a valid Linux interface name (1..15 chars, no '/', ':' or whitespace)? */
export function isValidIfname(name: string): boolean {
  return name.length > 0 && name.length <= 15 && !/[/:\s]/.test(name) && name !== '.' && name !== '..';
}

/** A locally administered unicast MAC derived from an address (docker style 02:42:ip). */
export function macForAddress(ip: string): string {
  const o = ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
  return `02:42:${o.join(':')}`;
}

export function isValidMac(mac: string): boolean {
  return /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac) && (parseInt(mac.slice(0, 2), 16) & 1) === 0;
}
