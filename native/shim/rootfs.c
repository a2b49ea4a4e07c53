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
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

static int openat2_in_root(int rootfd, const char *path, int flags) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) fail("openat2", path, ENOSYS, "the kernel lacks openat2 (Linux >= 5.6 needed)");
  return fd;
}

/* Resolves `path` (absolute, inside the container) to an O_PATH fd, creating missing
 * directories (and the last component as a file when kind == 2) one component at a time. */
static int resolve(int rootfd, const char *path, int kind) {
  int fd = openat2_in_root(rootfd, path, O_PATH);
  if (fd >= 0 || errno != ENOENT || kind == 0) return fd;
  char prefix[4096];
  size_t len = strlen(path);
  if (len >= sizeof prefix) { errno = ENAMETOOLONG; return -1; }
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
    if (nl >= sizeof name) { close(parent); errno = ENAMETOOLONG; return -1; }
    memcpy(name, path + start, nl);
    name[nl] = 0;
    int next = openat2_in_root(rootfd, prefix, O_PATH);
    if (next < 0 && errno == ENOENT) {
      int last = i >= len || path[i + strspn(path + i, "/")] == 0;
      if (last && kind == 2) {
        int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (f < 0 && errno != EEXIST) { close(parent); return -1; }
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

static int under_proc(const char *t) {
  while (*t == '/' && t[1] == '/') t++;
  return !strcmp(t, "/proc") || !strncmp(t, "/proc/", 6);
}

static void do_mount(int rootfd, struct mnt *m) {
  if (strcmp(m->type, "proc") && under_proc(m->target))
    fail("mount", m->target, EPERM, "only procfs may be mounted on or under /proc");
  int fd = resolve(rootfd, m->target, m->mkdir);
  if (fd < 0) fail("openat2", m->target, errno, "cannot resolve the mount target inside the rootfs");
  char p[64];
  fdpath(p, sizeof p, fd);
  if (!strcmp(m->type, "remount")) { /* change flags of a mount made earlier (e.g. tmpfs -> ro) */
    if (mount(NULL, p, NULL, MS_REMOUNT | m->flags, m->data[0] ? m->data : NULL) < 0) fail("mount", m->target, errno, "remount");
    close(fd);
    return;
  }
  if (mount(m->source, p, m->type, m->flags, m->data[0] ? m->data : NULL) < 0) fail("mount", m->target, errno, m->source);
  close(fd);
  if (m->remount || m->propagation) {
    fd = resolve(rootfd, m->target, 0);
    if (fd < 0) fail("openat2", m->target, errno, NULL);
    fdpath(p, sizeof p, fd);
    if (m->remount && mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | m->remount, NULL) < 0) fail("mount", m->target, errno, "remount");
    if (m->propagation && mount(NULL, p, NULL, m->propagation, NULL) < 0) fail("mount", m->target, errno, "propagation");
    close(fd);
  }
}

static void split_parent(const char *path, char *dir, size_t cap, const char **base) {
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) : 0;
  if (n == 0) { snprintf(dir, cap, "/"); }
  else { snprintf(dir, cap, "%.*s", (int)n, path); }
  *base = slash ? slash + 1 : path;
}

static void make_devices(int rootfd, struct config *c) {
  for (int i = 0; i < c->ndevs; i++) {
    struct dev *d = &c->devs[i];
    char dir[512];
    const char *base;
    split_parent(d->path, dir, sizeof dir, &base);
    int pfd = resolve(rootfd, dir, 1);
    if (pfd < 0) fail("openat2", dir, errno, NULL);
    char p[64];
    fdpath(p, sizeof p, pfd);
    int dfd = open(p, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dfd < 0) fail("open", dir, errno, NULL);
    if (mknodat(dfd, base, d->mode, d->rdev) < 0 && errno != EEXIST) {
      if (errno != EPERM) fail("mknod", d->path, errno, NULL);
      /* In a user namespace: bind the host's node over an empty file. */
      int f = openat(dfd, base, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (f < 0) fail("open", d->path, errno, NULL);
      close(f);
      int t = openat(dfd, base, O_PATH | O_CLOEXEC | O_NOFOLLOW);
      char tp[64];
      fdpath(tp, sizeof tp, t);
      if (t < 0 || mount(d->path, tp, NULL, MS_BIND, NULL) < 0) fail("mount", d->path, errno, "bind device");
      close(t);
    } else if (fchownat(dfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0) {
      fail("fchownat", d->path, errno, NULL);
    }
    close(dfd);
    close(pfd);
  }
  for (int i = 0; i < c->nsymlinks; i++) {
    char buf[1024], dir[512];
    snprintf(buf, sizeof buf, "%s", c->symlinks[i]);
    char *sep = strchr(buf, '\x1f');
    if (!sep) continue;
    *sep = 0;
    const char *target = buf, *path = sep + 1, *base;
    split_parent(path, dir, sizeof dir, &base);
    int pfd = resolve(rootfd, dir, 1);
    if (pfd < 0) fail("openat2", dir, errno, NULL);
    char p[64];
    fdpath(p, sizeof p, pfd);
    int dfd = open(p, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dfd < 0 || (symlinkat(target, dfd, base) < 0 && errno != EEXIST)) fail("symlink", path, errno, NULL);
    close(dfd);
    close(pfd);
  }
}

/* tty: the pty (our stdin by now) also appears as /dev/console, as Docker gives it. By its
 * name: a bind source must be a mount of our own namespace (the fd's is the host's). */
static void bind_console(int rootfd) {
  char name[128];
  if (ttyname_r(0, name, sizeof name) != 0) fail("ttyname", "/dev/console", errno, "the pty has no name");
  int fd = resolve(rootfd, "/dev/console", 2);
  if (fd < 0) fail("openat2", "/dev/console", errno, NULL);
  char p[64];
  fdpath(p, sizeof p, fd);
  if (mount(name, p, NULL, MS_BIND, NULL) < 0) fail("mount", "/dev/console", errno, "bind the pty");
  close(fd);
}

/* After pivot_root: paths below are in the container's own procfs/sysfs. */
static void mask_paths(struct config *c) {
  struct stat null_st;
  if (stat("/dev/null", &null_st) < 0 || !S_ISCHR(null_st.st_mode) || null_st.st_rdev != makedev(1, 3))
    fail("stat", "/dev/null", EINVAL, "/dev/null is not the null device (1:3): refusing to mask with it");
  for (int i = 0; i < c->nmasked; i++) {
    struct stat st;
    const char *p = c->masked[i];
    if (lstat(p, &st) < 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0) fail("mount", p, errno, "mask");
    } else if (mount("/dev/null", p, NULL, MS_BIND, NULL) < 0) {
      fail("mount", p, errno, "mask");
    }
  }
  for (int i = 0; i < c->nropaths; i++) {
    const char *p = c->ropaths[i];
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
      if (errno == ENOENT) continue;
      fail("mount", p, errno, "read-only path");
    }
    if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
      fail("mount", p, errno, "read-only remount");
  }
}

static void set_sysctls(struct config *c) {
  for (int i = 0; i < c->nsysctls; i++) {
    char path[512];
    const char *eq = strchr(c->sysctls[i], '=');
    if (!eq) continue;
    snprintf(path, sizeof path, "/proc/sys/%.*s", (int)(eq - c->sysctls[i]), c->sysctls[i]);
    if (write_file(path, eq + 1) < 0) fail("write", path, errno, "sysctl");
  }
}

static int is_cgroup_target(const char *t) { return !strncmp(t, "/sys/fs/cgroup", 14) && (t[14] == 0 || t[14] == '/'); }

void setup_rootfs(struct config *c, cgroup_ready_fn ready) {
  int cg_done = 0;
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) fail("mount", "/", errno, "make-rslave");
  if (c->overlay_opts && c->overlay_opts[0]) {
    if (mount("overlay", c->rootfs, "overlay", c->rootfs_nodev ? MS_NODEV : 0, c->overlay_opts) < 0) fail("mount", c->rootfs, errno, "overlay rootfs");
  } else {
    /* a direct rootfs dir: bound onto itself inside our own mount namespace only */
    if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) fail("mount", c->rootfs, errno, "bind rootfs");
    if (c->rootfs_nodev && mount(NULL, c->rootfs, NULL, MS_REMOUNT | MS_BIND | MS_NODEV, NULL) < 0) fail("mount", c->rootfs, errno, "nodev rootfs");
  }
  int rootfd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) fail("open", c->rootfs, errno, NULL);
  for (int i = 0; i < c->nmounts; i++) {
    if (!cg_done && is_cgroup_target(c->mounts[i].target)) { ready(c); cg_done = 1; }
    do_mount(rootfd, &c->mounts[i]);
  }
  if (!cg_done) ready(c);
  make_devices(rootfd, c);
  if (c->tty) bind_console(rootfd);
  if (fchdir(rootfd) < 0) fail("fchdir", c->rootfs, errno, NULL);
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root", c->rootfs, errno, NULL);
  if (umount2(".", MNT_DETACH) < 0) fail("umount2", "old root", errno, NULL);
  if (chdir("/") < 0) fail("chdir", "/", errno, NULL);
  close(rootfd);
  set_sysctls(c);
  mask_paths(c);
  if (c->readonly && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) fail("mount", "/", errno, "read-only rootfs");
}
