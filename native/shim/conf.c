/* The config: `key=value\0` records written by TypeScript (src/native/shim-config.ts).
 * Lists repeat a key; compound values separate fields with \x1f. No decisions here. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static char *fields(char *s, char **out, int n) {
  int i = 0;
  out[i++] = s;
  for (char *p = s; *p && i < n; p++) {
    if (*p == '\x1f') {
      *p = 0;
      out[i++] = p + 1;
    }
  }
  while (i < n) out[i++] = "";
  return s;
}

static unsigned long long num(const char *s) { return strtoull(s, NULL, 0); }

/* A uid/gid: 0..2^31-1 only ((uid_t)-1 would make setresuid leave the process root). 0, or
 * -1 with e. */
static int id_num(const char *key, const char *s, unsigned *out, struct shim_error *e) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || v > 0x7fffffffULL) return shim_error_set(e, "config", key, ERANGE, "uid/gid out of range (0 to 2147483647)");
  *out = (unsigned)v;
  return 0;
}

/* In config_load: appends v to a list, or returns the error. */
#define PUSH(arr, n, v) \
  do { \
    if ((n) >= (int)(sizeof(arr) / sizeof((arr)[0])) - 1) return shim_error_set(e, "config", key, E2BIG, "too many entries"); \
    (arr)[(n)++] = (v); \
  } while (0)

int config_load(const char *path, struct config *c, struct shim_error *e) {
  memset(c, 0, sizeof(*c));
  c->seccomp = 0;
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return shim_error_set(e, "open", path, errno, "cannot read the shim config");
  struct stat st;
  if (fstat(fd, &st) < 0) return shim_error_set(e, "fstat", path, errno, NULL);
  /* the config's strings point into buf: it lives as long as the process */
  char *buf = malloc(st.st_size + 1);
  if (!buf) return shim_error_set(e, "malloc", path, ENOMEM, NULL);
  ssize_t got = 0;
  while (got < st.st_size) {
    ssize_t r = read(fd, buf + got, st.st_size - got);
    if (r <= 0) {
      free(buf);
      return shim_error_set(e, "read", path, r < 0 ? errno : EIO, NULL);
    }
    got += r;
  }
  buf[got] = 0;
  for (char *rec = buf, *next; rec < buf + got; rec = next) {
    next = rec + strlen(rec) + 1;
    char *eq = strchr(rec, '=');
    if (!eq) return shim_error_set(e, "config", path, EINVAL, "a record without '='");
    *eq = 0;
    const char *key = rec;
    char *v = eq + 1;
    if (!strcmp(key, "id")) c->id = v;
    else if (!strcmp(key, "rootfs")) c->rootfs = v;
    else if (!strcmp(key, "overlay")) c->overlay_opts = v;
    else if (!strcmp(key, "fifo")) c->fifo = v;
    else if (!strcmp(key, "exitfile")) c->exitfile = v;
    else if (!strcmp(key, "statefile")) c->statefile = v;
    else if (!strcmp(key, "autoremove")) c->autoremove = num(v);
    else if (!strcmp(key, "log")) c->log = v;
    else if (!strcmp(key, "log_max")) c->log_max = num(v);
    else if (!strcmp(key, "log_keep")) c->log_keep = num(v);
    else if (!strcmp(key, "oom_score_adj")) {
      c->oom_score_adj = atoi(v);
      c->oom_score_adj_set = 1;
    } else if (!strcmp(key, "hostname")) c->hostname = v;
    else if (!strcmp(key, "domainname")) c->domainname = v;
    else if (!strcmp(key, "cwd")) c->cwd = v;
    else if (!strcmp(key, "cgroup_v2_dir")) c->cgroup_v2_dir = v;
    else if (!strcmp(key, "oom_file")) c->oom_file = v;
    else if (!strcmp(key, "oom_key")) c->oom_key = v;
    else if (!strcmp(key, "readonly")) c->readonly = num(v);
    else if (!strcmp(key, "rootfs_nodev")) c->rootfs_nodev = num(v);
    else if (!strcmp(key, "init")) c->init = num(v);
    else if (!strcmp(key, "tty")) c->tty = num(v);
    else if (!strcmp(key, "stdin")) c->stdin_open = num(v);
    else if (!strcmp(key, "nnp")) c->nnp = num(v);
    else if (!strcmp(key, "seccomp")) c->seccomp = num(v);
    else if (!strcmp(key, "attach")) c->attach = num(v);
    else if (!strcmp(key, "detach")) c->detach = num(v);
    else if (!strcmp(key, "pid")) c->pid = num(v);
    else if (!strcmp(key, "clone")) c->clone_flags = num(v);
    else if (!strcmp(key, "caps")) c->caps = num(v);
    else if (!strcmp(key, "uid") || !strcmp(key, "gid") || !strcmp(key, "group")) {
      unsigned id = 0;
      if (id_num(key, v, &id, e) < 0) return -1;
      if (key[0] == 'u') c->uid = id;
      else if (key[1] == 'i') c->gid = id;
      else PUSH(c->groups, c->ngroups, (gid_t)id);
    } else if (!strcmp(key, "arg")) PUSH(c->args, c->nargs, v);
    else if (!strcmp(key, "env")) PUSH(c->env, c->nenv, v);
    else if (!strcmp(key, "ns_join")) PUSH(c->ns_join, c->nns_join, v);
    else if (!strcmp(key, "cgroup_join")) PUSH(c->cgroup_join, c->ncgroup_join, v);
    else if (!strcmp(key, "symlink")) PUSH(c->symlinks, c->nsymlinks, v);
    else if (!strcmp(key, "mask")) PUSH(c->masked, c->nmasked, v);
    else if (!strcmp(key, "ro")) PUSH(c->ropaths, c->nropaths, v);
    else if (!strcmp(key, "sysctl")) PUSH(c->sysctls, c->nsysctls, v);
    else if (!strcmp(key, "sc_allow")) PUSH(c->sc_allow, c->nsc_allow, v);
    else if (!strcmp(key, "devcg_v2")) c->devcg_v2 = v;
    else if (!strcmp(key, "devrule")) PUSH(c->devrules, c->ndevrules, v);
    else if (!strcmp(key, "userns")) c->userns = num(v);
    else if (!strcmp(key, "uid_map")) c->uid_map = v;
    else if (!strcmp(key, "gid_map")) c->gid_map = v;
    else if (!strcmp(key, "idmap")) PUSH(c->idmaps, c->nidmaps, v);
    else if (!strcmp(key, "rm_dir")) PUSH(c->rm_dirs, c->nrm_dirs, v);
    else if (!strcmp(key, "cg_mkdir")) PUSH(c->cg_mkdirs, c->ncg_mkdirs, v);
    else if (!strcmp(key, "cg_write")) PUSH(c->cg_writes, c->ncg_writes, v);
    else if (!strcmp(key, "rm_cgroup")) PUSH(c->rm_cgroups, c->nrm_cgroups, v);
    else if (!strcmp(key, "shim_cgroup")) {
      char *f[4];
      fields(v, f, 4);
      c->shim_cg.parent = f[0];
      c->shim_cg.dir = f[1];
      c->shim_cg.join = f[2];
      c->shim_cg.leave = f[3];
    } else if (!strcmp(key, "mount")) {
      char *f[8];
      fields(v, f, 8);
      struct mnt m = { f[0], f[1], f[2], f[7], num(f[3]), num(f[4]), num(f[5]), (int)num(f[6]) };
      PUSH(c->mounts, c->nmounts, m);
    } else if (!strcmp(key, "dev")) {
      char *f[6];
      fields(v, f, 6);
      struct dev d = { f[0], (mode_t)num(f[1]), makedev(num(f[2]), num(f[3])), (uid_t)num(f[4]), (gid_t)num(f[5]) };
      PUSH(c->devs, c->ndevs, d);
    } else if (!strcmp(key, "rlimit")) {
      char *f[3];
      fields(v, f, 3);
      struct rlim r = { (int)num(f[0]), num(f[1]), num(f[2]) };
      PUSH(c->rlimits, c->nrlimits, r);
    } else if (!strcmp(key, "sc")) {
      char *f[6];
      fields(v, f, 6);
      struct scrule r = { f[0], (int)num(f[1]), (int)num(f[2]), num(f[3]), num(f[4]), (int)num(f[5]) };
      PUSH(c->scrules, c->nscrules, r);
    } else return shim_error_set(e, "config", key, EINVAL, "unknown key (the TypeScript side and the shim disagree: rebuild both)");
  }
  if (c->nargs == 0 && c->pid == 0) return shim_error_set(e, "config", path, EINVAL, "no process arguments");
  c->args[c->nargs] = NULL;
  c->env[c->nenv] = NULL;
  return 0;
}
