/*
 * The layer rules, one entry at a time (see main.c for the list). Every operation is
 * relative to the entry's parent directory fd (tree.c) and never follows the last
 * component: openat(O_CREAT|O_EXCL|O_NOFOLLOW), mkdirat, symlinkat, linkat without
 * AT_SYMLINK_FOLLOW, mknodat, *at(AT_SYMLINK_NOFOLLOW). When something is already there, it
 * is removed (a directory with its tree, unless a directory replaces a directory) and the
 * create is tried again: an existing entry is replaced, never written through.
 */
#include "unpack.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define WH ".wh."
#define OPAQUE ".wh..wh..opq"

uint64_t unpacked_bytes;
static bool is_root;
/* root with group 0 in a layer root that is not setgid: what it creates is already owned by 0:0 (modes, setgid ones included, come at the end) */
static bool creates_as_root;

/* Directory modes and times, applied at the end (children first) where a real directory still is. */
struct dir_meta {
  char *rel;
  mode_t mode;
  struct timespec mtime;
};
static struct dir_meta *dirs;
static size_t ndirs, capdirs;

void apply_init(int root_fd) {
  struct stat st;
  is_root = geteuid() == 0;
  creates_as_root = is_root && getegid() == 0 && fstat(root_fd, &st) == 0 && (st.st_mode & S_ISGID) == 0;
}

/* Owned by 0:0 as created: no chown needed (most entries of most images). */
static bool owned_as_created(const struct entry *e) { return creates_as_root && e->uid == 0 && e->gid == 0; }

static struct timespec mtime_of(const struct entry *e) { return (struct timespec){ .tv_sec = e->mtime_s, .tv_nsec = e->mtime_ns }; }

static void remember_dir(const char *rel, const struct entry *e) {
  if (ndirs == capdirs) {
    capdirs = capdirs ? 2 * capdirs : 256;
    struct dir_meta *grown = realloc(dirs, capdirs * sizeof *dirs);
    if (!grown) fail_sys("realloc", "");
    dirs = grown;
  }
  dirs[ndirs++] = (struct dir_meta){ xstrndup(rel, strlen(rel)), (mode_t)(e->mode & 07777), mtime_of(e) };
}

/* An attribute the filesystem cannot hold (security.selinux ...) is dropped, as docker does; security.capability is not. */
static void xattr_failed(const char *name, const char *rel) {
  if ((errno == ENOTSUP || errno == EOPNOTSUPP || errno == EPERM) && strcmp(name, "security.capability") != 0) return;
  fail_sys("setxattr", rel);
}

/* On an open file or directory. */
static void xattrs_fd(int fd, const struct entry *e, const char *rel) {
  for (size_t i = 0; i < e->nxattrs; i++)
    if (fsetxattr(fd, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].len, 0) != 0) xattr_failed(e->xattrs[i].name, rel);
}

/* On a symlink or device (never opened): through the parent's fd, not following the last component. */
static void xattrs_at(int dir, const char *name, const struct entry *e, const char *rel) {
  if (e->nxattrs == 0) return;
  char p[64 + 4096];
  if (snprintf(p, sizeof p, "/proc/self/fd/%d/%s", dir, name) >= (int)sizeof p) {
    errno = ENAMETOOLONG;
    fail_sys("lsetxattr", rel);
  }
  for (size_t i = 0; i < e->nxattrs; i++)
    if (lsetxattr(p, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].len, 0) != 0) xattr_failed(e->xattrs[i].name, rel);
}

static void owner_at(int dir, const char *name, const struct entry *e, const char *rel) {
  if (is_root && !owned_as_created(e) && fchownat(dir, name, (uid_t)e->uid, (gid_t)e->gid, AT_SYMLINK_NOFOLLOW) != 0) fail_sys("fchownat", rel);
}

static void times_at(int dir, const char *name, const struct entry *e, const char *rel) {
  struct timespec t[2] = { mtime_of(e), mtime_of(e) };
  if (utimensat(dir, name, t, AT_SYMLINK_NOFOLLOW) != 0) fail_sys("utimensat", rel);
}

static void write_file(int dir, const char *name, const struct entry *e, const char *rel) {
  /* created with its final mode when no chown follows (a chown clears set-id bits) and no set-id bit could be dropped by the writes */
  bool final_mode = owned_as_created(e) && (e->mode & 06000) == 0;
  mode_t mode = final_mode ? (mode_t)(e->mode & 07777) : 0600;
  int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {
    clear_at(dir, name, false);
    fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  }
  if (fd < 0) fail_sys("openat", rel);
  const unsigned char *p;
  size_t n;
  while ((n = tar_body(&p, 1 << 20)) > 0) {
    while (n > 0) {
      ssize_t w = write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        fail_sys("write", rel);
      }
      p += w;
      n -= (size_t)w;
    }
  }
  unpacked_bytes += e->size;
  if (is_root && !owned_as_created(e) && fchown(fd, (uid_t)e->uid, (gid_t)e->gid) != 0) fail_sys("fchown", rel);
  if (!final_mode && fchmod(fd, (mode_t)(e->mode & 07777)) != 0) fail_sys("fchmod", rel);
  struct timespec t[2] = { mtime_of(e), mtime_of(e) };
  if (futimens(fd, t) != 0) fail_sys("futimens", rel);
  xattrs_fd(fd, e, rel);
  close(fd);
}

static void make_dir(int dir, const char *name, const struct entry *e, const char *rel) {
  if (mkdirat(dir, name, 0755) != 0) {
    if (errno != EEXIST) fail_sys("mkdirat", rel);
    clear_at(dir, name, true);
    if (mkdirat(dir, name, 0755) != 0 && errno != EEXIST) fail_sys("mkdirat", rel);
  }
  owner_at(dir, name, e, rel);
  if (e->nxattrs) {
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) fail_sys("openat", rel);
    xattrs_fd(fd, e, rel);
    close(fd);
  }
  remember_dir(rel, e);
}

static void make_symlink(int dir, const char *name, const struct entry *e, const char *rel) {
  if (symlinkat(e->linkname, dir, name) != 0) {
    if (errno != EEXIST) fail_sys("symlinkat", rel);
    clear_at(dir, name, false);
    if (symlinkat(e->linkname, dir, name) != 0) fail_sys("symlinkat", rel);
  }
  owner_at(dir, name, e, rel);
  xattrs_at(dir, name, e, rel);
  times_at(dir, name, e, rel);
}

static void make_node(int dir, const char *name, mode_t mode, dev_t dev, const char *rel) {
  if (mknodat(dir, name, mode, dev) != 0) {
    if (errno != EEXIST) fail_sys("mknodat", rel);
    clear_at(dir, name, false);
    if (mknodat(dir, name, mode, dev) != 0) fail_sys("mknodat", rel);
  }
}

static void make_device(int dir, const char *name, const struct entry *e, const char *rel) {
  mode_t kind = e->type == T_CHAR ? S_IFCHR : e->type == T_BLOCK ? S_IFBLK : S_IFIFO;
  make_node(dir, name, kind | (mode_t)(e->mode & 0777), makedev((unsigned)e->devmajor, (unsigned)e->devminor), rel);
  owner_at(dir, name, e, rel);
  if (fchmodat(dir, name, (mode_t)(e->mode & 07777), AT_SYMLINK_NOFOLLOW) != 0) fail_sys("fchmodat", rel);
  xattrs_at(dir, name, e, rel);
  times_at(dir, name, e, rel);
}

static void make_hardlink(int dir, const char *name, const struct entry *e, const struct path *p) {
  struct path t;
  path_parse(&t, e->name, e->linkname, "hard link target");
  if (t.n == 0) refuse(e->name, "is a hard link to the layer root");
  int tdir = parent_dir_owned(e->name, &t, false);
  const char *tname = t.parts[t.n - 1];
  struct stat st;
  if (fstatat(tdir, tname, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) refuse(e->name, "is a hard link to \"%s\", which is not in this layer", e->linkname);
    fail_sys("fstatat", t.rel);
  }
  if (S_ISDIR(st.st_mode)) refuse(e->name, "is a hard link to a directory");
  if (strcmp(t.rel, p->rel) != 0) {
    if (linkat(tdir, tname, dir, name, 0) != 0) {
      if (errno != EEXIST) fail_sys("linkat", p->rel);
      clear_at(dir, name, false);
      if (linkat(tdir, tname, dir, name, 0) != 0) fail_sys("linkat", p->rel);
    }
  }
  close(tdir);
  path_free(&t);
}

void apply_entry(struct entry *e) {
  struct path p;
  path_parse(&p, e->name, e->name, "path");
  if (p.n == 0) {
    if (e->type != T_DIR) refuse(e->name, "names the layer root but is not a directory");
    remember_dir("", e);
    path_free(&p);
    return;
  }
  const char *base = p.parts[p.n - 1];
  const char *rel = p.rel;
  if (is_root && (e->uid > 0xfffffffe || e->gid > 0xfffffffe)) {
    errno = EOVERFLOW;
    fail_sys("fchown", rel);
  }
  int dir = parent_dir(e->name, &p, true);
  if (strcmp(base, OPAQUE) == 0) {
    if (fsetxattr(dir, "trusted.overlay.opaque", "y", 1, 0) != 0) fail_sys("setxattr", rel);
  } else if (strncmp(base, WH, strlen(WH)) == 0) {
    const char *name = base + strlen(WH);
    /* aufs metadata (.wh..wh.plnk ...): ignored, as docker does */
    if (strncmp(name, WH, strlen(WH)) != 0) {
      if (name[0] == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) refuse(e->name, "is an invalid whiteout");
      clear_at(dir, name, false);
      make_node(dir, name, S_IFCHR, makedev(0, 0), rel);
    }
  } else {
    for (size_t i = 0; i < e->nxattrs; i++)
      if (strncmp(e->xattrs[i].name, "trusted.overlay.", 16) == 0) refuse(e->name, "carries the overlayfs attribute %s", e->xattrs[i].name);
    switch (e->type) {
      case T_DIR: make_dir(dir, base, e, rel); break;
      case T_FILE: write_file(dir, base, e, rel); break;
      case T_SYMLINK: make_symlink(dir, base, e, rel); break;
      case T_HARDLINK: make_hardlink(dir, base, e, &p); break;
      case T_CHAR:
      case T_BLOCK:
      case T_FIFO: make_device(dir, base, e, rel); break;
    }
  }
  path_free(&p);
}

void apply_finish(void) {
  for (size_t i = ndirs; i-- > 0;) {
    /* a later entry may have replaced the directory (even by a symlink): never follow it */
    int fd = open_dir_beneath(dirs[i].rel);
    if (fd < 0) continue;
    const char *shown = dirs[i].rel[0] ? dirs[i].rel : ".";
    if (fchmod(fd, dirs[i].mode) != 0) fail_sys("fchmod", shown);
    struct timespec t[2] = { dirs[i].mtime, dirs[i].mtime };
    if (futimens(fd, t) != 0) fail_sys("futimens", shown);
    close(fd);
  }
}
