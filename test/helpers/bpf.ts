// A classic-BPF interpreter for seccomp filters (the subset the shim emits: LD W ABS, JEQ,
// JGT, JGE, JSET with constants, JA, RET K), so that tests run the very program the shim
// would load, over every syscall number, without a kernel.

export interface SockFilter {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_I386 = 0x40000003;
export const RET_ALLOW = 0x7fff0000;
export const RET_ERRNO = 0x00050000;

/** struct sock_filter[] as the kernel takes it (little endian: u16 code, u8 jt, u8 jf, u32 k). */
export function parseFilter(buf: Buffer): SockFilter[] {
  if (buf.length % 8 !== 0) throw new Error(`filter of ${buf.length} bytes is not a whole number of instructions`);
  const out: SockFilter[] = [];
  for (let o = 0; o < buf.length; o += 8) out.push({ code: buf.readUInt16LE(o), jt: buf.readUInt8(o + 2), jf: buf.readUInt8(o + 3), k: buf.readUInt32LE(o + 4) });
  return out;
}

/** struct seccomp_data: int nr, u32 arch, u64 instruction_pointer, u64 args[6]. */
function seccompData(nr: number, arch: number, args: readonly bigint[]): Buffer {
  const b = Buffer.alloc(64);
  b.writeInt32LE(nr, 0);
  b.writeUInt32LE(arch, 4);
  for (let i = 0; i < 6; i++) b.writeBigUInt64LE(BigInt.asUintN(64, args[i] ?? 0n), 16 + 8 * i);
  return b;
}

/** Runs the filter for one syscall; returns the 32-bit return value (action | data). */
export function runFilter(prog: readonly SockFilter[], nr: number, args: readonly bigint[] = [], arch = AUDIT_ARCH_X86_64): number {
  const data = seccompData(nr, arch, args);
  let a = 0;
  for (let pc = 0, steps = 0; pc < prog.length && steps <= prog.length; steps++) {
    const { code, jt, jf, k } = prog[pc]!;
    switch (code) {
      case 0x20: // BPF_LD | BPF_W | BPF_ABS
        if (k % 4 !== 0 || k + 4 > data.length) throw new Error(`pc ${pc}: load at ${k} is out of seccomp_data`);
        a = data.readUInt32LE(k);
        pc++;
        break;
      case 0x05: // BPF_JMP | BPF_JA
        pc += 1 + k;
        break;
      case 0x15: // JEQ K
        pc += 1 + (a === k ? jt : jf);
        break;
      case 0x25: // JGT K
        pc += 1 + (a > k ? jt : jf);
        break;
      case 0x35: // JGE K
        pc += 1 + (a >= k ? jt : jf);
        break;
      case 0x45: // JSET K
        pc += 1 + ((a & k) >>> 0 !== 0 ? jt : jf);
        break;
      case 0x06: // BPF_RET | BPF_K
        return k >>> 0;
      default:
        throw new Error(`pc ${pc}: opcode 0x${code.toString(16)} is not one the shim emits`);
    }
  }
  throw new Error('the filter ran off its end (the kernel refuses such a program)');
}
