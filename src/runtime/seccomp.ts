// The seccomp policy: Docker's default profile (seccomp-profile.ts), an allow-list. The shim
// compiles the records to BPF: the allowed syscalls pass, the conditional rules below decide
// on an argument, everything else gets EPERM, and numbers above every syscall the shim knows
// get ENOSYS (so a libc falls back from a syscall newer than the table).
import type { ShimRecord } from '../native/index.js';
import { ALLOWED, ALLOWED_WITH_CAP, ALLOWED_X86_64 } from './seccomp-profile.js';
import type { SyscallName } from './syscall-names.js';

const EPERM = 1;
const ENOSYS = 38;
/** CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
const NS_FLAGS = 0x7e020000;
/** personality(2) values Docker allows: PER_LINUX, UNAME26, PER_LINUX32, both, and the query. */
const PERSONALITIES = [0, 0x8, 0x20000, 0x20008, 0xffffffff] as const;
/** Socket families Docker refuses: AF_KCM (38) and AF_VSOCK (40). */
const REFUSED_FAMILIES = [38, 40] as const;

/** A rule with an argument condition: `sc=name\x1fkind\x1farg\x1fmask\x1fvalue\x1ferrno` (kinds: native/shim/security.c). */
const rule = (name: SyscallName, kind: 0 | 1 | 2 | 3, arg: number, mask: number, value: number, errno: number): ShimRecord => ['sc', [name, kind, arg, mask, value, errno]];

/** The syscalls allowed outright for a capability set (sorted, no duplicates). */
export function allowedSyscalls(caps: readonly string[]): SyscallName[] {
  const out = new Set<SyscallName>([...ALLOWED, ...ALLOWED_X86_64]);
  for (const cap of caps) for (const name of ALLOWED_WITH_CAP[cap] ?? []) out.add(name);
  return [...out].sort();
}

/** The shim records of the profile for a capability set. */
export function seccompRecords(caps: readonly string[]): ShimRecord[] {
  const out: ShimRecord[] = [];
  if (!caps.includes('SYS_ADMIN')) {
    // clone without namespace flags only; clone3 reports ENOSYS so libcs fall back to clone
    out.push(rule('clone', 1, 0, NS_FLAGS, 0, EPERM), rule('clone3', 0, 0, 0, 0, ENOSYS));
  }
  for (const v of PERSONALITIES) out.push(rule('personality', 2, 0, 0, v, EPERM));
  for (const v of REFUSED_FAMILIES) out.push(rule('socket', 3, 0, 0, v, EPERM));
  for (const name of allowedSyscalls(caps)) out.push(['sc_allow', name]);
  return out;
}
