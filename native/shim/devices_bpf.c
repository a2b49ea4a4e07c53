/* cgroup v2 has no devices.allow file: like runc and crun, attach an eBPF program
 * (BPF_PROG_TYPE_CGROUP_DEVICE) to the container's cgroup that allows only the listed
 * devices. Rules come from TypeScript as `devrule=TYPE\x1fMAJOR\x1fMINOR\x1fACCESS`
 * (TYPE a|c|b, -1 = any, ACCESS a subset of rwm). */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static int parse_access(const char *a) {
  int v = 0;
  for (; *a; a++) v |= *a == 'm' ? BPF_DEVCG_ACC_MKNOD : *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE : 0;
  return v;
}

int attach_device_filter(struct config *c, struct shim_error *e) {
  if (!c->devcg_v2 || !c->devcg_v2[0]) return 0;
  static struct bpf_insn p[4096];
  int n = 0;
  /* r2 = type, r3 = access, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx) */
  p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
  p[n++] = INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
  p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_1, 0, 0);
  p[n++] = INSN(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
  p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
  p[n++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
  for (int i = 0; i < c->ndevrules && n < 4000; i++) {
    char buf[128];
    strncpy(buf, c->devrules[i], sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    char *f[4] = { buf, "", "", "" };
    for (int k = 1, j = 0; buf[j] && k < 4; j++)
      if (buf[j] == '\x1f') {
        buf[j] = 0;
        f[k++] = buf + j + 1;
      }
    int type = f[0][0] == 'c' ? BPF_DEVCG_DEV_CHAR : f[0][0] == 'b' ? BPF_DEVCG_DEV_BLOCK : 0;
    int major = atoi(f[1]), minor = atoi(f[2]), acc = parse_access(f[3]);
    int full = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
    int body = (type ? 1 : 0) + (acc != full ? 3 : 0) + (major >= 0 ? 1 : 0) + (minor >= 0 ? 1 : 0);
    int skip = body + 2; /* to the next rule: past the checks and `r0 = 1; exit` */
    if (type) p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, --skip, type);
    if (acc != full) {
      p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
      --skip;
      p[n++] = INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, acc);
      --skip;
      p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, --skip, 0);
    }
    if (major >= 0) p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, --skip, major);
    if (minor >= 0) p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, --skip, minor);
    p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
    p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  }
  p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
  p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

  union bpf_attr load;
  memset(&load, 0, sizeof load);
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = (uint64_t)(uintptr_t)p;
  load.insn_cnt = n;
  load.license = (uint64_t)(uintptr_t) "Apache-2.0";
  __attribute__((cleanup(close_fd))) int prog = syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
  if (prog < 0) return shim_error_set(e, "bpf", "BPF_PROG_LOAD device filter", errno, "cannot load the cgroup v2 device filter");
  __attribute__((cleanup(close_fd))) int cg = open(c->devcg_v2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) return shim_error_set(e, "open", c->devcg_v2, errno, NULL);
  union bpf_attr at;
  memset(&at, 0, sizeof at);
  at.target_fd = cg;
  at.attach_bpf_fd = prog;
  at.attach_type = BPF_CGROUP_DEVICE;
  at.attach_flags = BPF_F_ALLOW_MULTI;
  if (syscall(SYS_bpf, BPF_PROG_ATTACH, &at, sizeof at) < 0) return shim_error_set(e, "bpf", c->devcg_v2, errno, "cannot attach the device filter");
  return 0;
}
