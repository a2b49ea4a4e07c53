/* The container's filesystem, inside its new mount namespace: overlay rootfs, mounts resolved
 * relative to the rootfs fd (openat2 RESOLVE_IN_ROOT) and mounted through /proc/self/fd/N,
 * devices, pivot_root, masked and read-only paths, sysctls. Ends blocked on the exec fifo. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

/* linux/mount.h clashes with glibc's sys/mount.h: the few names mount_setattr needs. */
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
struct berth_mount_attr {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};
#define BERTH_MOUNT_ATTR_RDONLY 0x1
#define BERTH_MOUNT_ATTR_NOSUID 0x2
#define BERTH_MOUNT_ATTR_NODEV 0x4
#define BERTH_MOUNT_ATTR_NOEXEC 0x8

static int openat2_in_root(int rootfd, const char *path, int flags) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  return syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/* A failed resolve() or openat2_in_root() (errno) as the error of the step doing it. */
static int resolve_error(struct shim_error *e, const char *path, const char *msg) {
  return shim_error_set(e, "openat2", path, errno, errno == ENOSYS ? "the kernel lacks openat2 (Linux >= 5.6 needed)" : msg);
}

/* Resolves `path` (absolute, inside the container) to an O_PATH fd, creating missing
 * directories (and the last component as a file when kind == 2) one component at a time. */
static int resolve(int rootfd, const char *path, int kind) {
  int fd = openat2_in_root(rootfd, path, O_PATH);
  if (fd >= 0 || errno != ENOENT || kind == 0) return fd;
  char prefix[4096];
  size_t len = strlen(path);
  if (len >= sizeof prefix) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int parent = openat2_in_root(rootfd, "/", O_PATH);
  size_t i = 0;
  while (i < len) {
    while (i < len && path[i] == '/') i++;
    size_t start = i;
    while (i < len && path[i] != '/') i++;
    if (i == start) break;
    memcpy(prefix, path, i);
    prefix[i] = 0;
    char name[256];
    size_t nl = i - start;
    if (nl >= sizeof name) {
      close(parent);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(name, path + start, nl);
    name[nl] = 0;
    int next = openat2_in_root(rootfd, prefix, O_PATH);
    if (next < 0 && errno == ENOENT) {
      int last = i >= len || path[i + strspn(path + i, "/")] == 0;
      if (last && kind == 2) {
        int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (f < 0 && errno != EEXIST) {
          close(parent);
          return -1;
        }
        if (f >= 0) close(f);
      } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) {
        close(parent);
        return -1;
      }
      next = openat2_in_root(rootfd, prefix, O_PATH);
    }
    close(parent);
    if (next < 0) return -1;
    parent = next;
  }
  return parent;
}

static void fdpath(char *out, size_t cap, int fd) { snprintf(out, cap, "/proc/self/fd/%d", fd); }

/* An absolute, normalised path: no empty, "." or ".." component, no trailing slash, not "/". */
static int normalised_target(const char *t) {
  if (t[0] != '/' || t[1] == 0) return 0;
  for (const char *c = t; *c;) {
    c++; /* past the slash */
    size_t n = strcspn(c, "/");
    if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) return 0;
    c += n;
  }
  return 1;
}

/* The resolved target must not be procfs or sysfs (CVE-2019-19921 class: a mount over
 * /proc or /sys redirects later writes); only our own cgroup tmpfs goes on /sys/fs/cgroup.
 * Nor may it be the container's root itself. */
static int check_target(int rootfd, int fd, const struct mnt *m, struct shim_error *e) {
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0) return shim_error_set(e, "fstatfs", m->target, errno, NULL);
  if (sfs.f_type == PROC_SUPER_MAGIC) return shim_error_set(e, "mount-target", m->target, EPERM, "resolves into procfs: refused");
  if (sfs.f_type == SYSFS_MAGIC && strcmp(m->target, "/sys/fs/cgroup"))
    return shim_error_set(e, "mount-target", m->target, EPERM, "resolves into sysfs: refused");
  struct stat a, b;
  if (fstat(fd, &a) < 0 || fstat(rootfd, &b) < 0) return shim_error_set(e, "fstat", m->target, errno, NULL);
  if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) return shim_error_set(e, "mount-target", m->target, EPERM, "resolves to the container's root: refused");
  return 0;
}

/* A read-only recursive bind: read-only all the way down (mount(2)'s remount only changes
 * the top mount; submounts such as debugfs under /sys would stay writable). Kernels before
 * 5.12 lack mount_setattr: there only the top mount is read-only, as Docker falls back. */
static int recursive_readonly(int fd, const struct mnt *m, struct shim_error *e) {
  struct berth_mount_attr attr = { 0, 0, 0, 0 };
  attr.attr_set = BERTH_MOUNT_ATTR_RDONLY | (m->remount & MS_NOSUID ? BERTH_MOUNT_ATTR_NOSUID : 0) | (m->remount & MS_NODEV ? BERTH_MOUNT_ATTR_NODEV : 0) |
                  (m->remount & MS_NOEXEC ? BERTH_MOUNT_ATTR_NOEXEC : 0);
  if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0 && errno != ENOSYS)
    return shim_error_set(e, "mount_setattr", m->target, errno, "recursive read-only");
  return 0;
}

static int do_mount(int rootfd, struct mnt *m, struct shim_error *e) {
  if (!normalised_target(m->target)) return shim_error_set(e, "mount-target", m->target, EINVAL, "is not an absolute normalised path: refused");
  cleanup_close int fd = resolve(rootfd, m->target, m->mkdir);
  if (fd < 0) return resolve_error(e, m->target, "cannot resolve the mount target inside the rootfs");
  if (check_target(rootfd, fd, m, e) < 0) return -1;
  char p[64];
  fdpath(p, sizeof p, fd);
  if (!strcmp(m->type, "remount")) { /* change flags of a mount made earlier (e.g. tmpfs -> ro) */
    if (mount(NULL, p, NULL, MS_REMOUNT | m->flags, m->data[0] ? m->data : NULL) < 0) return shim_error_set(e, "mount", m->target, errno, "remount");
    return 0;
  }
  if (mount(m->source, p, m->type, m->flags, m->data[0] ? m->data : NULL) < 0) return shim_error_set(e, "mount", m->target, errno, m->source);
  close_fd(&fd);
  if (m->remount || m->propagation) {
    fd = resolve(rootfd, m->target, 0);
    if (fd < 0) return resolve_error(e, m->target, NULL);
    fdpath(p, sizeof p, fd);
    if (m->remount && mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | m->remount, NULL) < 0) return shim_error_set(e, "mount", m->target, errno, "remount");
    if ((m->flags & MS_REC) && (m->remount & MS_RDONLY) && recursive_readonly(fd, m, e) < 0) return -1;
    if (m->propagation && mount(NULL, p, NULL, m->propagation, NULL) < 0) return shim_error_set(e, "mount", m->target, errno, "propagation");
  }
  return 0;
}

static void split_parent(const char *path, char *dir, size_t cap, const char **base) {
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) : 0;
  if (n == 0) {
    snprintf(dir, cap, "/");
  } else {
    snprintf(dir, cap, "%.*s", (int)n, path);
  }
  *base = slash ? slash + 1 : path;
}

static int make_devices(int rootfd, struct config *c, struct shim_error *e) {
  for (int i = 0; i < c->ndevs; i++) {
    struct dev *d = &c->devs[i];
    char dir[512];
    const char *base;
    split_parent(d->path, dir, sizeof dir, &base);
    cleanup_close int pfd = resolve(rootfd, dir, 1);
    if (pfd < 0) return resolve_error(e, dir, NULL);
    char p[64];
    fdpath(p, sizeof p, pfd);
    cleanup_close int dfd = open(p, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dfd < 0) return shim_error_set(e, "open", dir, errno, NULL);
    if (mknodat(dfd, base, d->mode, d->rdev) < 0 && errno != EEXIST) {
      if (errno != EPERM) return shim_error_set(e, "mknod", d->path, errno, NULL);
      /* In a user namespace: bind the host's node over an empty file. */
      cleanup_close int f = openat(dfd, base, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (f < 0) return shim_error_set(e, "open", d->path, errno, NULL);
      cleanup_close int t = openat(dfd, base, O_PATH | O_CLOEXEC | O_NOFOLLOW);
      char tp[64];
      fdpath(tp, sizeof tp, t);
      if (t < 0 || mount(d->path, tp, NULL, MS_BIND, NULL) < 0) return shim_error_set(e, "mount", d->path, errno, "bind device");
    } else if (fchownat(dfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0) {
      return shim_error_set(e, "fchownat", d->path, errno, NULL);
    }
  }
  for (int i = 0; i < c->nsymlinks; i++) {
    char buf[1024], dir[512];
    snprintf(buf, sizeof buf, "%s", c->symlinks[i]);
    char *sep = strchr(buf, '\x1f');
    if (!sep) continue;
    *sep = 0;
    const char *target = buf, *path = sep + 1, *base;
    split_parent(path, dir, sizeof dir, &base);
    cleanup_close int pfd = resolve(rootfd, dir, 1);
    if (pfd < 0) return resolve_error(e, dir, NULL);
    char p[64];
    fdpath(p, sizeof p, pfd);
    cleanup_close int dfd = open(p, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dfd < 0 || (symlinkat(target, dfd, base) < 0 && errno != EEXIST)) return shim_error_set(e, "symlink", path, errno, NULL);
  }
  return 0;
}

/* tty: the pty (our stdin by now) also appears as /dev/console, as Docker gives it. By its
 * name: a bind source must be a mount of our own namespace (the fd's is the host's). */
static int bind_console(int rootfd, struct shim_error *e) {
  char name[128];
  if (ttyname_r(0, name, sizeof name) != 0) return shim_error_set(e, "ttyname", "/dev/console", errno, "the pty has no name");
  cleanup_close int fd = resolve(rootfd, "/dev/console", 2);
  if (fd < 0) return resolve_error(e, "/dev/console", NULL);
  char p[64];
  fdpath(p, sizeof p, fd);
  if (mount(name, p, NULL, MS_BIND, NULL) < 0) return shim_error_set(e, "mount", "/dev/console", errno, "bind the pty");
  return 0;
}

/* After pivot_root. Paths under /proc and /sys are opened without following any symlink
 * and must be on procfs/sysfs (what a mount there could redirect: CVE-2025-52881 class);
 * mounts then go onto the verified fd (/proc/self/fd/N), never onto a path looked up again.
 * The fd; -2 when the path does not exist; -1 with e (`what` names the step). */
static int open_pseudo(const char *p, int flags, const char *what, struct shim_error *e) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  cleanup_close int fd = syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof how);
  if (fd < 0) return errno == ENOENT ? -2 : resolve_error(e, p, what);
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0) return shim_error_set(e, "fstatfs", p, errno, NULL);
  if (sfs.f_type != PROC_SUPER_MAGIC && sfs.f_type != SYSFS_MAGIC)
    return shim_error_set(e, "mount-target", p, EPERM, "is not on the container's procfs or sysfs: refused");
  int r = fd;
  fd = -1;
  return r;
}

static int mask_paths(struct config *c, struct shim_error *e) {
  cleanup_close int null = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat null_st;
  if (null < 0 || fstat(null, &null_st) < 0 || !S_ISCHR(null_st.st_mode) || null_st.st_rdev != makedev(1, 3))
    return shim_error_set(e, "stat", "/dev/null", EINVAL, "/dev/null is not the null device (1:3): refusing to mask with it");
  char np[64], fp[64];
  fdpath(np, sizeof np, null);
  for (int i = 0; i < c->nmasked; i++) {
    struct stat st;
    const char *p = c->masked[i];
    cleanup_close int fd = open_pseudo(p, O_PATH | O_NOFOLLOW, "mask", e);
    if (fd == -2) continue;
    if (fd < 0) return -1;
    if (fstat(fd, &st) < 0) return shim_error_set(e, "fstat", p, errno, "mask");
    fdpath(fp, sizeof fp, fd);
    if (S_ISDIR(st.st_mode)) {
      if (mount("tmpfs", fp, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0) return shim_error_set(e, "mount", p, errno, "mask");
    } else if (mount(np, fp, NULL, MS_BIND, NULL) < 0) {
      return shim_error_set(e, "mount", p, errno, "mask");
    }
  }
  for (int i = 0; i < c->nropaths; i++) {
    const char *p = c->ropaths[i];
    cleanup_close int fd = open_pseudo(p, O_PATH | O_NOFOLLOW, "read-only path", e);
    if (fd == -2) continue;
    if (fd < 0) return -1;
    fdpath(fp, sizeof fp, fd);
    if (mount(fp, fp, NULL, MS_BIND | MS_REC, NULL) < 0) return shim_error_set(e, "mount", p, errno, "read-only path");
    close_fd(&fd);
    /* the new bind mount: looked up again, verified again */
    fd = open_pseudo(p, O_PATH | O_NOFOLLOW, "read-only path", e);
    if (fd == -2) return shim_error_set(e, "openat2", p, ENOENT, "read-only path");
    if (fd < 0) return -1;
    fdpath(fp, sizeof fp, fd);
    if (mount(NULL, fp, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
      return shim_error_set(e, "mount", p, errno, "read-only remount");
  }
  return 0;
}

/* A sysctl key as a path below /proc/sys: plain components only. */
static int plain_relative(const char *k, size_t len) {
  if (len == 0 || k[0] == '/') return 0;
  for (size_t i = 0; i < len;) {
    size_t n = 0;
    while (i + n < len && k[i + n] != '/') n++;
    if (n == 0 || (n == 1 && k[i] == '.') || (n == 2 && k[i] == '.' && k[i + 1] == '.')) return 0;
    i += n + 1;
    if (i == len) return 0; /* trailing slash */
  }
  return 1;
}

/* Sysctls go through an fd of the container's own procfs (verified: procfs, its root),
 * resolved below it without symlinks and without crossing a mount. */
static int set_sysctls(struct config *c, struct shim_error *e) {
  if (c->nsysctls == 0) return 0;
  cleanup_close int proc = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct statfs sfs;
  struct stat st;
  if (proc < 0 || fstatfs(proc, &sfs) < 0 || fstat(proc, &st) < 0) return shim_error_set(e, "open", "/proc", errno, "sysctl");
  if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != 1)
    return shim_error_set(e, "sysctl", "/proc", EPERM, "not the root of a procfs: refusing to write sysctls");
  for (int i = 0; i < c->nsysctls; i++) {
    char path[512];
    const char *eq = strchr(c->sysctls[i], '=');
    if (!eq || !plain_relative(c->sysctls[i], (size_t)(eq - c->sysctls[i])))
      return shim_error_set(e, "sysctl", c->sysctls[i], EINVAL, "not a plain sysctl name");
    snprintf(path, sizeof path, "sys/%.*s", (int)(eq - c->sysctls[i]), c->sysctls[i]);
    struct open_how how = { .flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                            .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
    cleanup_close int fd = syscall(SYS_openat2, proc, path, &how, sizeof how);
    if (fd < 0) return shim_error_set(e, "openat2", path, errno, errno == EXDEV ? "sysctl: something is mounted over /proc/sys: refused" : "sysctl");
    if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) return shim_error_set(e, "sysctl", path, EPERM, "not a file of procfs: refused");
    if (write_all(fd, eq + 1, strlen(eq + 1)) < 0) return shim_error_set(e, "write", path, errno, "sysctl");
  }
  return 0;
}

/* compose `oom_score_adj`: through the container's own procfs, before the service runs (its
 * processes inherit it). Below 0 needs CAP_SYS_RESOURCE on the host. */
static int set_oom_score_adj(struct config *c, struct shim_error *e) {
  if (!c->oom_score_adj_set) return 0;
  cleanup_close int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  char v[16];
  int n = snprintf(v, sizeof v, "%d", c->oom_score_adj);
  if (fd < 0 || write_all(fd, v, n) < 0)
    return shim_error_set(e, "write", "/proc/self/oom_score_adj", errno,
                          c->oom_score_adj < 0 ? "oom_score_adj below 0 needs CAP_SYS_RESOURCE" : "oom_score_adj");
  return 0;
}

static int is_cgroup_target(const char *t) { return !strncmp(t, "/sys/fs/cgroup", 14) && (t[14] == 0 || t[14] == '/'); }

int setup_rootfs(struct shim_ctx *x, struct config *c, cgroup_ready_fn ready, struct shim_error *e) {
  int cg_done = 0;
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return shim_error_set(e, "mount", "/", errno, "make-rslave");
  if (c->overlay_opts && c->overlay_opts[0]) {
    if (mount("overlay", c->rootfs, "overlay", c->rootfs_nodev ? MS_NODEV : 0, c->overlay_opts) < 0)
      return shim_error_set(e, "mount", c->rootfs, errno, "overlay rootfs");
  } else {
    /* a direct rootfs dir: bound onto itself inside our own mount namespace only */
    if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) return shim_error_set(e, "mount", c->rootfs, errno, "bind rootfs");
    if (c->rootfs_nodev && mount(NULL, c->rootfs, NULL, MS_REMOUNT | MS_BIND | MS_NODEV, NULL) < 0)
      return shim_error_set(e, "mount", c->rootfs, errno, "nodev rootfs");
  }
  cleanup_close int rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) return shim_error_set(e, "open", c->rootfs, errno, NULL);
  for (int i = 0; i < c->nmounts; i++) {
    if (!cg_done && is_cgroup_target(c->mounts[i].target)) {
      if (ready(x, c, e) < 0) return -1;
      cg_done = 1;
    }
    if (do_mount(rootfd, &c->mounts[i], e) < 0) return -1;
  }
  if (!cg_done && ready(x, c, e) < 0) return -1;
  if (make_devices(rootfd, c, e) < 0) return -1;
  if (c->tty && bind_console(rootfd, e) < 0) return -1;
  if (fchdir(rootfd) < 0) return shim_error_set(e, "fchdir", c->rootfs, errno, NULL);
  if (syscall(SYS_pivot_root, ".", ".") < 0) return shim_error_set(e, "pivot_root", c->rootfs, errno, NULL);
  if (umount2(".", MNT_DETACH) < 0) return shim_error_set(e, "umount2", "old root", errno, NULL);
  if (chdir("/") < 0) return shim_error_set(e, "chdir", "/", errno, NULL);
  close_fd(&rootfd);
  if (set_sysctls(c, e) < 0 || set_oom_score_adj(c, e) < 0 || mask_paths(c, e) < 0) return -1;
  if (c->readonly && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) return shim_error_set(e, "mount", "/", errno, "read-only rootfs");
  return 0;
}
