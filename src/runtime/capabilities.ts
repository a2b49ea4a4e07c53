import { BerthError } from '../errors.js';
const { readFileSync } = process.getBuiltinModule('node:fs');

/** Linux capability numbers (linux/capability.h), by Docker's names (without CAP_). */
export const CAPABILITIES: Readonly<Record<string, number>> = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  DAC_READ_SEARCH: 2,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  LINUX_IMMUTABLE: 9,
  NET_BIND_SERVICE: 10,
  NET_BROADCAST: 11,
  NET_ADMIN: 12,
  NET_RAW: 13,
  IPC_LOCK: 14,
  IPC_OWNER: 15,
  SYS_MODULE: 16,
  SYS_RAWIO: 17,
  SYS_CHROOT: 18,
  SYS_PTRACE: 19,
  SYS_PACCT: 20,
  SYS_ADMIN: 21,
  SYS_BOOT: 22,
  SYS_NICE: 23,
  SYS_RESOURCE: 24,
  SYS_TIME: 25,
  SYS_TTY_CONFIG: 26,
  MKNOD: 27,
  LEASE: 28,
  AUDIT_WRITE: 29,
  AUDIT_CONTROL: 30,
  SETFCAP: 31,
  MAC_OVERRIDE: 32,
  MAC_ADMIN: 33,
  SYSLOG: 34,
  WAKE_ALARM: 35,
  BLOCK_SUSPEND: 36,
  AUDIT_READ: 37,
  PERFMON: 38,
  BPF: 39,
  CHECKPOINT_RESTORE: 40,
};

/** Docker's default set. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

function normalize(name: string): string {
  const up = name.trim().toUpperCase();
  const bare = up.startsWith('CAP_') ? up.slice(4) : up;
  if (bare !== 'ALL' && !(bare in CAPABILITIES)) {
    throw new BerthError('runtime/invalid-capability', `unknown capability "${name}"`, { hint: 'use names like NET_ADMIN or CAP_NET_ADMIN, or ALL' });
  }
  return bare;
}

/** The final capability set as names (sorted), as Docker computes it: default, +add, -drop. */
export function resolveCapabilities(opts: {
  capAdd?: readonly string[] | undefined;
  capDrop?: readonly string[] | undefined;
  privileged?: boolean | undefined;
  hostMaxCap?: number;
  hostBounding?: bigint;
}): string[] {
  // what the kernel knows and berth itself may hand out (a host may withhold some, e.g. SYS_RESOURCE)
  const all = Object.keys(CAPABILITIES).filter(
    (n) => CAPABILITIES[n]! <= (opts.hostMaxCap ?? 40) && (opts.hostBounding === undefined || ((opts.hostBounding >> BigInt(CAPABILITIES[n]!)) & 1n) === 1n),
  );
  if (opts.privileged) return all.sort();
  const add = (opts.capAdd ?? []).map(normalize);
  const drop = (opts.capDrop ?? []).map(normalize);
  let set = new Set<string>(DEFAULT_CAPABILITIES);
  if (drop.includes('ALL')) set = new Set();
  for (const c of add.includes('ALL') ? all : add) set.add(c);
  for (const c of drop) if (c !== 'ALL') set.delete(c);
  return [...set].filter((c) => all.includes(c)).sort();
}

export function capabilityMask(names: readonly string[]): bigint {
  let mask = 0n;
  for (const n of names) mask |= 1n << BigInt(CAPABILITIES[n]!);
  return mask;
}

let cachedLastCap: number | undefined;
/** The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap), read once. */
export function hostLastCap(): number {
  if (cachedLastCap === undefined) {
    try {
      cachedLastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
    } catch {
      cachedLastCap = 40;
    }
  }
  return cachedLastCap;
}

let cachedBounding: bigint | undefined;
/** This process's capability bounding set (what berth, and the shim it starts, can grant), read once. */
export function hostBoundingSet(): bigint {
  if (cachedBounding === undefined) {
    try {
      const line = readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('CapBnd:'));
      cachedBounding = line ? BigInt(`0x${line.split(/\s+/)[1]}`) : (1n << 64n) - 1n;
    } catch {
      cachedBounding = (1n << 64n) - 1n;
    }
  }
  return cachedBounding;
}
