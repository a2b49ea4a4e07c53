/* Identity, capabilities, no_new_privs, rlimits and the seccomp filter (built here from the
 * rules TypeScript chose: syscall name + action; names map to numbers at compile time). */
#include "shim.h"
#include <sys/syscall.h>
#include "syscalls.h"
#include <errno.h>
#include <grp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

int set_rlimits(struct config *c, struct shim_error *e) {
  for (int i = 0; i < c->nrlimits; i++) {
    struct rlimit r = { c->rlimits[i].soft, c->rlimits[i].hard };
    if (setrlimit(c->rlimits[i].resource, &r) < 0) return shim_error_set(e, "setrlimit", NULL, errno, "cannot apply a ulimit");
  }
  return 0;
}

int apply_identity_and_security(struct config *c, struct shim_error *e) {
  for (int cap = 0; cap < 64; cap++) {
    if (c->caps & (1ULL << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) return shim_error_set(e, "prctl", "PR_CAPBSET_DROP", errno, NULL);
  }
  if (c->uid > 0x7fffffffU || c->gid > 0x7fffffffU) return shim_error_set(e, "setresuid", NULL, ERANGE, "uid/gid out of range (0 to 2147483647)");
  if (setgroups(c->ngroups, c->groups) < 0) return shim_error_set(e, "setgroups", NULL, errno, NULL);
  if (setresgid(c->gid, c->gid, c->gid) < 0) return shim_error_set(e, "setresgid", NULL, errno, NULL);
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return shim_error_set(e, "prctl", "PR_SET_KEEPCAPS", errno, NULL);
  if (setresuid(c->uid, c->uid, c->uid) < 0) return shim_error_set(e, "setresuid", NULL, errno, NULL);
  prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  for (int i = 0; i < 2; i++) {
    uint32_t v = (uint32_t)(c->caps >> (32 * i));
    data[i].effective = v;
    data[i].permitted = v;
    data[i].inheritable = 0;
  }
  if (syscall(SYS_capset, &hdr, data) < 0) return shim_error_set(e, "capset", NULL, errno, NULL);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (c->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return shim_error_set(e, "prctl", "PR_SET_NO_NEW_PRIVS", errno, NULL);
  return 0;
}

static int by_name(const void *key, const void *entry) { return strcmp(key, ((const struct sc_name *)entry)->name); }

/* The program being compiled: instructions, and the first problem met on the way. */
struct bpf_out {
  struct sock_filter *insns;
  int n, overflow;
  const char *unknown_name; /* the first name the table does not know */
};

/* The syscall's number on this architecture; -1 when it has none here. An unknown name is
 * an error: the table (scripts/gen-syscalls.mjs) knows every name of every architecture. */
static int sc_number(struct bpf_out *o, const char *name) {
  const struct sc_name *e = bsearch(name, sc_table, sizeof sc_table / sizeof sc_table[0], sizeof sc_table[0], by_name);
  if (!e && !o->unknown_name) o->unknown_name = name;
  return e ? e->nr : -1;
}

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, t, f) ((struct sock_filter)BPF_JUMP(code, k, t, f))

/* Size bound FILTER_CAP (shim.h; test/runtime/seccomp-filter.test.ts checks it): 6 header +
 * for each rule group of k rules at most k + 4 (so 5 per rule) + 4 per allowed range (at most
 * one range per allowed syscall) + 3 at the end. MAX_SCRULES rules and MAX_ALLOW syscalls fit
 * in well under BPF_MAXINSNS. */
static void emit(struct bpf_out *o, struct sock_filter insn) {
  if (o->n >= FILTER_CAP) o->overflow = 1;
  else o->insns[o->n++] = insn;
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Compiles the profile TypeScript chose (an allow-list) to classic BPF, once per process:
 *   wrong architecture or an x32 number -> EPERM;
 *   rule groups (kinds below) for the syscalls with argument conditions, each ending in a return;
 *   allowed syscalls as sorted ranges [lo, hi] (4 instructions each) -> ALLOW;
 *   a number above every syscall this table knows -> ENOSYS (so that libcs fall back);
 *   everything else -> EPERM (Docker's defaultErrnoRet).
 * Rule kinds: 0 = errno always; 1 = errno when (arg & mask) != 0; 2 = errno unless arg is one
 * of the values of consecutive kind-2 rules; 3 = errno when arg is one of the values of
 * consecutive kind-3 rules. Values compare the argument's low 32 bits. */
int compile_seccomp(struct config *c, struct seccomp_prog *p, struct shim_error *e) {
  if (p->len >= 0) return p->len;
  struct bpf_out o = { p->insns, 0, 0, NULL };
  int max_nr = 0;
  for (size_t i = 0; i < sizeof sc_table / sizeof sc_table[0]; i++)
    if (sc_table[i].nr > max_nr) max_nr = sc_table[i].nr;
#if defined(__x86_64__)
  const uint32_t arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  const uint32_t arch = AUDIT_ARCH_AARCH64;
#else
#error "unsupported architecture for the seccomp filter"
#endif
  const uint32_t eperm = SECCOMP_RET_ERRNO | EPERM;
  emit(&o, STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
  emit(&o, JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0));
  emit(&o, STMT(BPF_RET | BPF_K, eperm));
  emit(&o, STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
  emit(&o, JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1)); /* x32 ABI */
  emit(&o, STMT(BPF_RET | BPF_K, eperm));
#endif
  for (int i = 0; i < c->nscrules; i++) {
    struct scrule *r = &c->scrules[i];
    int nr = sc_number(&o, r->name);
    int k = 1; /* kinds 2 and 3: the group of consecutive rules of this syscall */
    if (r->kind == 2 || r->kind == 3)
      while (i + k < c->nscrules && c->scrules[i + k].kind == r->kind && !strcmp(c->scrules[i + k].name, r->name)) k++;
    if (nr < 0) {
      i += k - 1;
      continue;
    } /* not a syscall of this architecture */
    if (k > 200) return shim_error_set(e, "seccomp", r->name, E2BIG, "too many values for one syscall");
    uint32_t ret = SECCOMP_RET_ERRNO | (r->err & SECCOMP_RET_DATA);
    if (r->kind == 0) {
      emit(&o, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
      emit(&o, STMT(BPF_RET | BPF_K, ret));
    } else if (r->kind == 1) {
      emit(&o, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 4));
      emit(&o, STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(r->arg)));
      emit(&o, JUMP(BPF_JMP | BPF_JSET | BPF_K, (uint32_t)r->mask, 0, 1));
      emit(&o, STMT(BPF_RET | BPF_K, ret));
      emit(&o, STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    } else if (r->kind == 2 || r->kind == 3) {
      /* kind 2: a listed value -> ALLOW, else errno; kind 3: a listed value -> errno, else ALLOW */
      uint32_t hit = r->kind == 2 ? SECCOMP_RET_ALLOW : ret, miss = r->kind == 2 ? ret : SECCOMP_RET_ALLOW;
      emit(&o, JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, k + 3));
      emit(&o, STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(r->arg)));
      for (int j = 0; j < k; j++) emit(&o, JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)c->scrules[i + j].value, k - j, 0));
      emit(&o, STMT(BPF_RET | BPF_K, miss));
      emit(&o, STMT(BPF_RET | BPF_K, hit));
      i += k - 1;
    } else {
      return shim_error_set(e, "seccomp", r->name, EINVAL, "unknown rule kind");
    }
    /* a group that matched returned; past it the accumulator still holds the number */
  }
  int nrs[MAX_ALLOW];
  int nn = 0;
  for (int i = 0; i < c->nsc_allow; i++) {
    int nr = sc_number(&o, c->sc_allow[i]);
    if (nr >= 0) nrs[nn++] = nr;
  }
  qsort(nrs, nn, sizeof nrs[0], cmp_int);
  for (int i = 0; i < nn;) {
    int lo = nrs[i], hi = lo;
    for (; i < nn && nrs[i] <= hi + 1; i++)
      if (nrs[i] > hi) hi = nrs[i];
    /* nr > hi: the next range; nr >= lo: allowed; else (between ranges) refused */
    emit(&o, JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)hi, 3, 0));
    emit(&o, JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)lo, 0, 1));
    emit(&o, STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    emit(&o, STMT(BPF_RET | BPF_K, eperm));
  }
  emit(&o, JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max_nr, 0, 1));
  emit(&o, STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
  emit(&o, STMT(BPF_RET | BPF_K, eperm));
  if (o.unknown_name) return shim_error_set(e, "seccomp", o.unknown_name, EINVAL, "unknown syscall name in the seccomp profile");
  if (o.overflow) return shim_error_set(e, "seccomp", NULL, E2BIG, "the seccomp filter is too large");
  return p->len = o.n;
}

int load_seccomp(struct config *c, struct seccomp_prog *p, struct shim_error *e) {
  if (!c->seccomp) return 0;
  int n = compile_seccomp(c, p, e);
  if (n < 0) return -1;
  struct sock_fprog prog = { (unsigned short)n, p->insns };
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) return shim_error_set(e, "seccomp", NULL, errno, "cannot load the seccomp filter");
  return 0;
}

/* `berth-shim seccomp-bpf CONF`: the compiled filter on stdout (struct sock_filter[]), for tests. */
int cmd_seccomp_bpf(struct shim_ctx *x, struct config *c) {
  struct shim_error e = { 0 };
  int n = compile_seccomp(c, &x->seccomp, &e);
  if (n < 0) return report_error(x, &e);
  return write_all(1, x->seccomp.insns, sizeof x->seccomp.insns[0] * (size_t)n) < 0 ? 1 : 0;
}
