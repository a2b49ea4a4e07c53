// A seccomp policy equivalent to Docker's default profile, expressed as the syscalls it
// refuses (with EPERM) unless a capability grants them; everything else is allowed, and
// syscall numbers the shim's table does not know get ENOSYS. The shim compiles it to BPF.
import type { ShimRecord } from '../native/index.js';

/** Refused unless the listed capability is in the container's set ('' = always refused). */
const GUARDED: Readonly<Record<string, string>> = {
  acct: 'SYS_PACCT', add_key: '', bpf: 'SYS_ADMIN', clock_adjtime: 'SYS_TIME', clock_settime: 'SYS_TIME', create_module: '',
  delete_module: 'SYS_MODULE', finit_module: 'SYS_MODULE', get_kernel_syms: '', get_mempolicy: 'SYS_NICE', init_module: 'SYS_MODULE',
  ioperm: 'SYS_RAWIO', iopl: 'SYS_RAWIO', kcmp: 'SYS_PTRACE', kexec_file_load: '', kexec_load: '', keyctl: '', lookup_dcookie: 'SYS_ADMIN',
  mbind: 'SYS_NICE', mount: 'SYS_ADMIN', move_pages: '', name_to_handle_at: 'SYS_ADMIN', nfsservctl: '', open_by_handle_at: 'DAC_READ_SEARCH',
  perf_event_open: 'PERFMON', pivot_root: 'SYS_ADMIN', process_vm_readv: 'SYS_PTRACE', process_vm_writev: 'SYS_PTRACE', ptrace: 'SYS_PTRACE',
  query_module: '', quotactl: 'SYS_ADMIN', reboot: 'SYS_BOOT', request_key: '', set_mempolicy: 'SYS_NICE', setns: 'SYS_ADMIN',
  settimeofday: 'SYS_TIME', stime: 'SYS_TIME', swapon: 'SYS_ADMIN', swapoff: 'SYS_ADMIN', sysfs: '', _sysctl: '', syslog: 'SYSLOG',
  umount: 'SYS_ADMIN', umount2: 'SYS_ADMIN', unshare: 'SYS_ADMIN', uselib: '', userfaultfd: '', ustat: '', vhangup: 'SYS_TTY_CONFIG',
  vm86: '', vm86old: '', fsopen: 'SYS_ADMIN', fsconfig: 'SYS_ADMIN', fsmount: 'SYS_ADMIN', fspick: 'SYS_ADMIN', move_mount: 'SYS_ADMIN',
  open_tree: 'SYS_ADMIN', mount_setattr: 'SYS_ADMIN', kexec: '', lookup: '', pciconfig_iobase: '', pciconfig_read: '', pciconfig_write: '',
  quotactl_fd: 'SYS_ADMIN', bdflush: '',
};

const EPERM = 1;
const ENOSYS = 38;
const EAFNOSUPPORT = 97;
/** CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
const NS_FLAGS = 0x7e020000;

/** The shim records (`sc=name\x1fkind\x1farg\x1fmask\x1fvalue\x1ferrno`) for a capability set. */
export function seccompRecords(caps: readonly string[]): ShimRecord[] {
  const has = new Set(caps);
  const out: ShimRecord[] = [];
  for (const name of Object.keys(GUARDED).sort()) {
    const cap = GUARDED[name]!;
    if (cap !== '' && has.has(cap)) continue;
    out.push(['sc', [name, 0, 0, 0, 0, EPERM]]);
  }
  if (!has.has('SYS_ADMIN')) {
    // clone with namespace flags is refused; clone3 reports ENOSYS so libcs fall back to clone.
    out.push(['sc', ['clone', 1, 0, NS_FLAGS, 0, EPERM]]);
    out.push(['sc', ['clone3', 0, 0, 0, 0, ENOSYS]]);
  }
  // personality: only the values Docker allows (no ADDR_NO_RANDOMIZE and friends)
  for (const v of [0, 0x8, 0x20000, 0x20008, 0xffffffff]) out.push(['sc', ['personality', 2, 0, 0, v, EPERM]]);
  // AF_VSOCK (40) sockets, as Docker's recent profiles.
  out.push(['sc', ['socket', 3, 0, 0, 40, EAFNOSUPPORT]]);
  return out;
}
