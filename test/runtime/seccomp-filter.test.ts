// The seccomp filter, table-driven over every x86_64 syscall: the BPF program the shim compiles
// (`berth-shim seccomp-bpf`, the same code that loads it) is run through a BPF interpreter and
// each verdict compared with Docker's default profile itself (fixtures/seccomp/docker-default.json,
// evaluated here). Also: the size bound, an unknown name is an error, the generated tables are
// current. Needs the built shim and x86_64; no root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeShimConfig, type ShimRecord } from '../../src/native/shim-config.js';
import { resolveCapabilities } from '../../src/runtime/capabilities.js';
import { seccompRecords } from '../../src/runtime/seccomp.js';
import type { SyscallName } from '../../src/runtime/syscall-names.js';
import { AUDIT_ARCH_I386, parseFilter, RET_ALLOW, RET_ERRNO, runFilter, type SockFilter } from '../helpers/bpf.js';
import { X86_64 } from './syscalls-x86_64.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const SHIM = join(REPO, 'native', 'build', 'berth-shim');
const EPERM = 1;
const ENOSYS = 38;

interface DockerRule {
  readonly names: readonly string[];
  readonly action: string;
  readonly errnoRet?: number;
  readonly args?: readonly { index: number; value: number; valueTwo?: number; op: string }[];
  readonly includes?: { caps?: string[]; arches?: string[]; minKernel?: string };
  readonly excludes?: { caps?: string[]; arches?: string[] };
}
const docker = JSON.parse(readFileSync(join(REPO, 'fixtures', 'seccomp', 'docker-default.json'), 'utf8')) as { defaultErrnoRet: number; syscalls: DockerRule[] };

/** Docker's verdict for one call on amd64 with these capabilities: 'allow' or the errno. */
function dockerVerdict(name: string, args: readonly bigint[], caps: ReadonlySet<string>): 'allow' | number {
  const has = (c: string): boolean => caps.has(c.replace(/^CAP_/, ''));
  for (const r of docker.syscalls) {
    if (!r.names.includes(name)) continue;
    if (r.includes?.arches && !r.includes.arches.includes('amd64')) continue;
    if (r.excludes?.arches?.includes('amd64')) continue;
    if (r.includes?.caps && !r.includes.caps.every(has)) continue;
    if (r.excludes?.caps?.some(has)) continue;
    const ok = (r.args ?? []).every(({ index, value, valueTwo, op }) => {
      const a = args[index] ?? 0n;
      const v = BigInt(value);
      if (op === 'SCMP_CMP_EQ') return a === v;
      if (op === 'SCMP_CMP_LT') return a < v;
      if (op === 'SCMP_CMP_GT') return a > v;
      if (op === 'SCMP_CMP_MASKED_EQ') return (a & v) === BigInt(valueTwo ?? 0);
      throw new Error(`docker profile: operator ${op} not handled by this test`);
    });
    if (!ok) continue;
    return r.action === 'SCMP_ACT_ALLOW' ? 'allow' : (r.errnoRet ?? docker.defaultErrnoRet);
  }
  return docker.defaultErrnoRet;
}

/** The argument sets tried per syscall (the conditional ones get their edge values). */
const ARGS: Readonly<Record<string, readonly (readonly bigint[])[]>> = {
  personality: [0n, 8n, 0x20000n, 0x20008n, 0xffffffffn, 1n, 0x40000n, 0x0400000n].map((v) => [v]),
  socket: [1n, 2n, 10n, 16n, 37n, 38n, 39n, 40n, 41n, 44n].map((v) => [v]),
  clone: [0x11n, 0x11n | 0x20000n, 0x11n | 0x10000000n, 0x11n | 0x40000000n, 0x11n | 0x200n].map((v) => [v]),
};

const verdict = (ret: number): 'allow' | number => (ret === RET_ALLOW ? 'allow' : (ret & 0xffff0000) >>> 0 === RET_ERRNO ? ret & 0xffff : -ret);

/** The compiled program for these records (the shim's own compiler). */
function compile(records: readonly ShimRecord[]): { prog: SockFilter[] } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-seccomp-'));
  try {
    const conf = join(dir, 'conf');
    writeFileSync(conf, encodeShimConfig([['id', 'seccomp-test'], ['arg', 'true'], ['seccomp', true], ...records]));
    const r = spawnSync(SHIM, ['seccomp-bpf', conf], { maxBuffer: 1 << 20 });
    if (r.status !== 0) return { error: r.stderr.toString() };
    return { prog: parseFilter(r.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the kernel's checker demands: every jump inside the program, ending in a return. */
function assertWellFormed(prog: readonly SockFilter[]): void {
  assert.ok(prog.length > 0 && prog.length <= 4096, `length ${prog.length}`);
  assert.is(prog.at(-1)!.code, 0x06, 'the last instruction returns');
  prog.forEach((insn, pc) => {
    if (insn.code === 0x05) assert.ok(pc + 1 + insn.k < prog.length, `pc ${pc}: JA out of the program`);
    else if ((insn.code & 0x07) === 0x05) assert.ok(pc + 1 + Math.max(insn.jt, insn.jf) < prog.length, `pc ${pc}: jump out of the program`);
  });
}

const CAP_SETS: Readonly<Record<string, readonly string[]>> = {
  'no capabilities': [],
  'the default set': resolveCapabilities({}),
  'default + SYS_ADMIN': resolveCapabilities({ capAdd: ['SYS_ADMIN'] }),
  'default + SYS_PTRACE, SYS_TIME, SYS_NICE': resolveCapabilities({ capAdd: ['SYS_PTRACE', 'SYS_TIME', 'SYS_NICE'] }),
  'every capability': resolveCapabilities({ privileged: true, hostMaxCap: 40 }),
};

const skip = process.arch !== 'x64' ? `not x86_64 (${process.arch})` : !existsSync(SHIM) ? 'shim not built' : undefined;
if (skip) {
  console.log(`# skip seccomp filter: ${skip}`);
} else {
  const maxNr = Math.max(...Object.values(X86_64));
  for (const [label, caps] of Object.entries(CAP_SETS)) {
    test(`every x86_64 syscall gets Docker's verdict (${label})`, () => {
      const c = compile(seccompRecords(caps));
      if ('error' in c) throw new Error(c.error);
      assertWellFormed(c.prog);
      const held = new Set(caps);
      const names = new Map(Object.entries(X86_64).map(([n, nr]) => [nr, n]));
      let allowed = 0;
      for (let nr = 0; nr <= maxNr; nr++) {
        const name = names.get(nr);
        for (const args of (name && ARGS[name]) || [[0n]]) {
          // a number that is no syscall: EPERM, as Docker's default action
          const want = name ? dockerVerdict(name, args, held) : EPERM;
          const got = verdict(runFilter(c.prog, nr, args));
          if (got === 'allow') allowed++;
          assert.is(got, want, `${name ?? '(none)'} (${nr}) args ${args.join(',')}: berth ${got}, Docker ${want}`);
        }
      }
      assert.ok(allowed > 300, `only ${allowed} allowed`);
      // newer than every syscall the shim knows: ENOSYS (a libc falls back); other ABIs refused
      for (const nr of [maxNr + 1, 600, 1000]) assert.is(verdict(runFilter(c.prog, nr)), ENOSYS);
      assert.is(verdict(runFilter(c.prog, X86_64.getpid! | 0x40000000)), EPERM, 'x32');
      assert.is(verdict(runFilter(c.prog, 20, [], AUDIT_ARCH_I386)), EPERM, 'i386');
    });
  }

  test('io_uring, keyctl, userfaultfd, bpf, mount and kexec are refused by default; getpid, read, write allowed', () => {
    const c = compile(seccompRecords(resolveCapabilities({})));
    if ('error' in c) throw new Error(c.error);
    for (const n of [
      'io_uring_setup',
      'io_uring_enter',
      'io_uring_register',
      'keyctl',
      'add_key',
      'userfaultfd',
      'bpf',
      'mount',
      'unshare',
      'setns',
      'kexec_load',
      'open_by_handle_at',
      'perf_event_open',
    ]) {
      assert.is(verdict(runFilter(c.prog, X86_64[n]!)), EPERM, n);
    }
    for (const n of ['getpid', 'read', 'write', 'openat', 'execve', 'exit_group', 'rt_sigreturn', 'ptrace', 'chroot']) assert.is(verdict(runFilter(c.prog, X86_64[n]!)), 'allow', n);
    assert.is(verdict(runFilter(c.prog, X86_64.clone3!)), ENOSYS, 'clone3 without SYS_ADMIN');
  });

  test('the size bound: 6 + 5 per rule + 4 per allowed range + 3, far below BPF_MAXINSNS', () => {
    const bound = (records: readonly ShimRecord[]): number => {
      const rules = records.filter((r) => r[0] === 'sc').length;
      const allow = records.filter((r) => r[0] === 'sc_allow').length;
      return 6 + 5 * rules + 4 * allow + 3;
    };
    const sets = Object.values(CAP_SETS).map((caps) => seccompRecords(caps));
    // the worst case for ranges: every other syscall number allowed (no two adjacent)
    const everyOther = Object.entries(X86_64)
      .filter(([, nr]) => nr % 2 === 0)
      .map(([n]): ShimRecord => ['sc_allow', n]);
    sets.push([...seccompRecords([]).filter((r) => r[0] === 'sc'), ...everyOther]);
    for (const records of sets) {
      const c = compile(records);
      if ('error' in c) throw new Error(c.error);
      assertWellFormed(c.prog);
      assert.ok(c.prog.length <= bound(records), `${c.prog.length} > ${bound(records)}`);
    }
    // the shim's own limits (MAX_SCRULES 128, MAX_ALLOW 640) keep any config within the cap
    assert.ok(6 + 5 * 128 + 4 * 640 + 3 <= 4096);
    const tooMany = compile(Array.from({ length: 700 }, (): ShimRecord => ['sc_allow', 'read']));
    assert.ok('error' in tooMany && /too many entries/.test(tooMany.error), JSON.stringify(tooMany));
  });

  test('an unknown syscall name is an error, not a silent skip; a name of another architecture is skipped', () => {
    const bad = compile([
      ['sc_allow', 'read'],
      ['sc_allow', 'no_such_syscall'],
    ]);
    assert.ok('error' in bad, 'compiled');
    assert.match((bad as { error: string }).error, /seccomp no_such_syscall: unknown syscall name/);
    const other = compile([
      ['sc_allow', 'read'],
      ['sc_allow', '_llseek'],
      ['sc_allow', 'riscv_flush_icache'],
    ]);
    assert.ok('prog' in other, JSON.stringify(other));
    // and in TypeScript a name that is no syscall does not compile:
    // @ts-expect-error not a syscall
    const typo: SyscallName = 'no_such_syscall';
    assert.ok(typo);
  });

  test('the generated syscall tables are current (scripts/gen-syscalls.mjs --check)', () => {
    if (!existsSync('/usr/include/x86_64-linux-gnu/asm/unistd_64.h') || !existsSync('/usr/include/x86_64-linux-gnu/bits/syscall.h')) {
      console.log('# skip gen-syscalls --check: kernel/glibc headers not installed');
      return;
    }
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'gen-syscalls.mjs'), '--check'], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
  });

  test.run();
}
