const { readFileSync } = process.getBuiltinModule('node:fs');
// Does a container's pid 1 hear a signal sent from the host? The kernel delivers a signal
// from outside a pid namespace to that namespace's init only when the init has a handler for
// it or blocks it (an init reading signals from a signalfd, as berth's `init: true`, blocks
// them), SIGKILL and SIGSTOP excepted: otherwise the signal is dropped, whatever its default
// action. So a stop signal to a handler-less pid 1 can only ever end in SIGKILL after the
// grace period; the stop sends SIGKILL at once instead (berth's own, documented).

/**
 * From a /proc/PID/status text: `false` when the process is pid 1 of its own (nested) pid
 * namespace, alive, has no handler for `signal` (SigCgt bit clear) and does not block it
 * (SigBlk bit clear: a blocked signal is queued); `true` otherwise.
 */
export function initHearsSignal(status: string, signal: number): boolean {
  if (signal === 9 || signal === 19) return true; // SIGKILL, SIGSTOP: always delivered
  const field = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
  const nspid = field('NSpid')?.split(/\s+/) ?? [];
  if (nspid.length < 2 || nspid[nspid.length - 1] !== '1') return true; // not an init seen from outside
  if (/^[ZX]/.test(field('State') ?? '')) return true; // exiting already
  const caught = field('SigCgt');
  const blocked = field('SigBlk');
  const hex = /^[0-9a-f]+$/i;
  if (caught === undefined || blocked === undefined || !hex.test(caught) || !hex.test(blocked) || signal < 1 || signal > 64) return true;
  return (((BigInt(`0x${caught}`) | BigInt(`0x${blocked}`)) >> BigInt(signal - 1)) & 1n) === 1n;
}

/** rt_sigtimedwait's number by architecture (an init such as tini or berth's own waits in it). */
const SIGTIMEDWAIT: Readonly<Record<string, number>> = { x64: 128, arm64: 137, riscv64: 137 };

/**
 * A process in sigwaitinfo/sigtimedwait has the waited signals unblocked in SigBlk for the
 * wait, yet the kernel still queues them (they are in its real_blocked, which /proc does not
 * show): such a pid counts as hearing every signal.
 */
export function inSigtimedwait(syscall: string, wchan: string, arch: string = process.arch): boolean {
  const nr = SIGTIMEDWAIT[arch];
  return (nr !== undefined && syscall.split(' ', 1)[0] === String(nr)) || wchan.includes('sigtimedwait');
}

/** initHearsSignal for a live pid; a pid whose status cannot be read counts as hearing (it is gone or going). */
export function pidHearsSignal(pid: number, signal: number): boolean {
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return undefined;
    }
  };
  const status = read('status');
  if (status === undefined || initHearsSignal(status, signal)) return true;
  return inSigtimedwait(read('syscall') ?? '', read('wchan') ?? '');
}
