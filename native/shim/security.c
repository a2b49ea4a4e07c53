/* Identity, capabilities, no_new_privs, rlimits and the seccomp filter (built here from the
 * rules TypeScript chose: syscall name + action; names map to numbers at compile time). */
#include "shim.h"
#include <sys/syscall.h>
#include "syscalls.h"
#include <errno.h>
#include <grp.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

void set_rlimits(struct config *c) {
  for (int i = 0; i < c->nrlimits; i++) {
    struct rlimit r = { c->rlimits[i].soft, c->rlimits[i].hard };
    if (setrlimit(c->rlimits[i].resource, &r) < 0) fail("setrlimit", NULL, errno, "cannot apply a ulimit");
  }
}

void apply_identity_and_security(struct config *c) {
  for (int cap = 0; cap < 64; cap++) {
    if (c->caps & (1ULL << cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) fail("prctl", "PR_CAPBSET_DROP", errno, NULL);
  }
  if (c->uid > 0x7fffffffU || c->gid > 0x7fffffffU) fail("setresuid", NULL, ERANGE, "uid/gid out of range (0 to 2147483647)");
  if (setgroups(c->ngroups, c->groups) < 0) fail("setgroups", NULL, errno, NULL);
  if (setresgid(c->gid, c->gid, c->gid) < 0) fail("setresgid", NULL, errno, NULL);
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail("prctl", "PR_SET_KEEPCAPS", errno, NULL);
  if (setresuid(c->uid, c->uid, c->uid) < 0) fail("setresuid", NULL, errno, NULL);
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
  if (syscall(SYS_capset, &hdr, data) < 0) fail("capset", NULL, errno, NULL);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (c->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("prctl", "PR_SET_NO_NEW_PRIVS", errno, NULL);
}

static int sc_number(const char *name) {
  for (size_t i = 0; i < sizeof sc_table / sizeof sc_table[0]; i++)
    if (!strcmp(sc_table[i].name, name)) return sc_table[i].nr;
  return -1;
}

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, t, f) ((struct sock_filter)BPF_JUMP(code, k, t, f))

/* Rule kinds: 0 = errno always; 1 = errno when (arg & mask) != 0; 2 = errno unless arg is one of
 * the values of consecutive kind-2 rules; 3 = errno when arg == value. */
void load_seccomp(struct config *c) {
  if (!c->seccomp) return;
  static struct sock_filter f[1024];
  int n = 0, max_nr = 0;
  for (size_t i = 0; i < sizeof sc_table / sizeof sc_table[0]; i++)
    if (sc_table[i].nr > max_nr) max_nr = sc_table[i].nr;
#if defined(__x86_64__)
  const uint32_t arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
  const uint32_t arch = AUDIT_ARCH_AARCH64;
#else
#error "unsupported architecture for the seccomp filter"
#endif
  f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0);
  f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
  f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1); /* x32 ABI */
  f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
#endif
  for (int i = 0; i < c->nscrules && n < 1000; i++) {
    struct scrule *r = &c->scrules[i];
    int nr = sc_number(r->name);
    if (nr < 0) continue;
    uint32_t ret = SECCOMP_RET_ERRNO | (r->err & SECCOMP_RET_DATA);
    if (r->kind == 2) {
      /* allowed only with one of the values of this and the following kind-2 rules */
      int k = 1;
      while (i + k < c->nscrules && c->scrules[i + k].kind == 2 && !strcmp(c->scrules[i + k].name, r->name)) k++;
      f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, k + 3);
      f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(r->arg));
      for (int j = 0; j < k; j++) f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)c->scrules[i + j].value, k - j, 0);
      f[n++] = STMT(BPF_RET | BPF_K, ret);
      f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
      i += k - 1;
    } else if (r->kind == 0) {
      f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
      f[n++] = STMT(BPF_RET | BPF_K, ret);
    } else {
      f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 4);
      f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(r->arg));
      if (r->kind == 1) f[n++] = JUMP(BPF_JMP | BPF_JSET | BPF_K, (uint32_t)r->mask, 0, 1);
      else f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->value, 0, 1);
      f[n++] = STMT(BPF_RET | BPF_K, ret);
      f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
  }
  f[n++] = JUMP(BPF_JMP | BPF_JGT | BPF_K, max_nr, 0, 1);
  f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = { (unsigned short)n, f };
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) fail("seccomp", NULL, errno, "cannot load the seccomp filter");
}
