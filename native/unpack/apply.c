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

void apply_init(struct unpacker *u, int root_fd) {
  struct apply *a = &u->apply;
  struct stat st;
  a->is_root = geteuid() == 0;
  a->creates_as_root = a->is_root && getegid() == 0 && fstat(root_fd, &st) == 0 && (st.st_mode & S_ISGID) == 0;
}

void apply_release(struct apply *a) {
  for (size_t i = 0; i < a->ndirs; i++) free(a->dirs[i].rel);
  free(a->dirs);
  a->dirs = NULL;
  a->ndirs = a->capdirs = 0;
}

/* Owned by 0:0 as created: no chown needed (most entries of most images). */
static bool owned_as_created(const struct apply *a, const struct entry *e) { return a->creates_as_root && e->uid == 0 && e->gid == 0; }

static struct timespec mtime_of(const struct entry *e) { return (struct timespec){ .tv_sec = e->mtime_s, .tv_nsec = e->mtime_ns }; }

static int remember_dir(struct apply *a, const char *rel, const struct entry *e, struct unpack_error *err) {
  if (a->ndirs == a->capdirs) {
    size_t cap = a->capdirs ? 2 * a->capdirs : 256;
    struct dir_meta *grown = realloc(a->dirs, cap * sizeof *a->dirs);
    if (!grown) return fail_sys(err, "realloc", "");
    a->dirs = grown;
    a->capdirs = cap;
  }
  char *copy = xstrndup(err, rel, strlen(rel));
  if (!copy) return -1;
  a->dirs[a->ndirs++] = (struct dir_meta){ copy, (mode_t)(e->mode & 07777), mtime_of(e) };
  return 0;
}

/* An attribute the filesystem cannot hold (security.selinux ...) is dropped, as docker does; security.capability is not. */
static int xattr_failed(const char *name, const char *rel, struct unpack_error *err) {
  if ((errno == ENOTSUP || errno == EOPNOTSUPP || errno == EPERM) && strcmp(name, "security.capability") != 0) return 0;
  return fail_sys(err, "setxattr", rel);
}

/* On an open file or directory. */
static int xattrs_fd(int fd, const struct entry *e, const char *rel, struct unpack_error *err) {
  for (size_t i = 0; i < e->nxattrs; i++)
    if (fsetxattr(fd, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].len, 0) != 0 && xattr_failed(e->xattrs[i].name, rel, err) < 0) return -1;
  return 0;
}

/* On a symlink or device (never opened): through the parent's fd, not following the last component. */
static int xattrs_at(int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  if (e->nxattrs == 0) return 0;
  char p[64 + 4096];
  if (snprintf(p, sizeof p, "/proc/self/fd/%d/%s", dir, name) >= (int)sizeof p) {
    errno = ENAMETOOLONG;
    return fail_sys(err, "lsetxattr", rel);
  }
  for (size_t i = 0; i < e->nxattrs; i++)
    if (lsetxattr(p, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].len, 0) != 0 && xattr_failed(e->xattrs[i].name, rel, err) < 0) return -1;
  return 0;
}

static int owner_at(const struct apply *a, int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  if (a->is_root && !owned_as_created(a, e) && fchownat(dir, name, (uid_t)e->uid, (gid_t)e->gid, AT_SYMLINK_NOFOLLOW) != 0)
    return fail_sys(err, "fchownat", rel);
  return 0;
}

static int times_at(int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  struct timespec t[2] = { mtime_of(e), mtime_of(e) };
  if (utimensat(dir, name, t, AT_SYMLINK_NOFOLLOW) != 0) return fail_sys(err, "utimensat", rel);
  return 0;
}

static int write_file(struct unpacker *u, int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  const struct apply *a = &u->apply;
  /* created with its final mode when no chown follows (a chown clears set-id bits) and no set-id bit could be dropped by the writes */
  bool final_mode = owned_as_created(a, e) && (e->mode & 06000) == 0;
  mode_t mode = final_mode ? (mode_t)(e->mode & 07777) : 0600;
  cleanup_close int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {
    if (clear_at(&u->tree, dir, name, false, err) < 0) return -1;
    fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  }
  if (fd < 0) return fail_sys(err, "openat", rel);
  const unsigned char *p;
  ssize_t got;
  while ((got = tar_body(&u->tar, &p, 1 << 20, err)) > 0) {
    size_t n = (size_t)got;
    while (n > 0) {
      ssize_t w = write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail_sys(err, "write", rel);
      }
      p += w;
      n -= (size_t)w;
    }
  }
  if (got < 0) return -1;
  u->apply.unpacked_bytes += e->size;
  if (a->is_root && !owned_as_created(a, e) && fchown(fd, (uid_t)e->uid, (gid_t)e->gid) != 0) return fail_sys(err, "fchown", rel);
  if (!final_mode && fchmod(fd, (mode_t)(e->mode & 07777)) != 0) return fail_sys(err, "fchmod", rel);
  struct timespec t[2] = { mtime_of(e), mtime_of(e) };
  if (futimens(fd, t) != 0) return fail_sys(err, "futimens", rel);
  return xattrs_fd(fd, e, rel, err);
}

static int make_dir(struct unpacker *u, int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  if (mkdirat(dir, name, 0755) != 0) {
    if (errno != EEXIST) return fail_sys(err, "mkdirat", rel);
    if (clear_at(&u->tree, dir, name, true, err) < 0) return -1;
    if (mkdirat(dir, name, 0755) != 0 && errno != EEXIST) return fail_sys(err, "mkdirat", rel);
  }
  if (owner_at(&u->apply, dir, name, e, rel, err) < 0) return -1;
  if (e->nxattrs) {
    cleanup_close int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return fail_sys(err, "openat", rel);
    if (xattrs_fd(fd, e, rel, err) < 0) return -1;
  }
  return remember_dir(&u->apply, rel, e, err);
}

static int make_symlink(struct unpacker *u, int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  if (symlinkat(e->linkname, dir, name) != 0) {
    if (errno != EEXIST) return fail_sys(err, "symlinkat", rel);
    if (clear_at(&u->tree, dir, name, false, err) < 0) return -1;
    if (symlinkat(e->linkname, dir, name) != 0) return fail_sys(err, "symlinkat", rel);
  }
  if (owner_at(&u->apply, dir, name, e, rel, err) < 0 || xattrs_at(dir, name, e, rel, err) < 0) return -1;
  return times_at(dir, name, e, rel, err);
}

static int make_node(struct unpacker *u, int dir, const char *name, mode_t mode, dev_t dev, const char *rel, struct unpack_error *err) {
  if (mknodat(dir, name, mode, dev) != 0) {
    if (errno != EEXIST) return fail_sys(err, "mknodat", rel);
    if (clear_at(&u->tree, dir, name, false, err) < 0) return -1;
    if (mknodat(dir, name, mode, dev) != 0) return fail_sys(err, "mknodat", rel);
  }
  return 0;
}

static int make_device(struct unpacker *u, int dir, const char *name, const struct entry *e, const char *rel, struct unpack_error *err) {
  mode_t kind = e->type == T_CHAR ? S_IFCHR : e->type == T_BLOCK ? S_IFBLK : S_IFIFO;
  if (make_node(u, dir, name, kind | (mode_t)(e->mode & 0777), makedev((unsigned)e->devmajor, (unsigned)e->devminor), rel, err) < 0) return -1;
  if (owner_at(&u->apply, dir, name, e, rel, err) < 0) return -1;
  if (fchmodat(dir, name, (mode_t)(e->mode & 07777), AT_SYMLINK_NOFOLLOW) != 0) return fail_sys(err, "fchmodat", rel);
  if (xattrs_at(dir, name, e, rel, err) < 0) return -1;
  return times_at(dir, name, e, rel, err);
}

static int make_hardlink(struct unpacker *u, int dir, const char *name, const struct entry *e, const struct path *p, struct unpack_error *err) {
  __attribute__((cleanup(path_free))) struct path t = { 0 };
  if (path_parse(&t, e->name, e->linkname, "hard link target", err) < 0) return -1;
  if (t.n == 0) return refuse(err, e->name, "is a hard link to the layer root");
  cleanup_close int tdir = parent_dir_owned(&u->tree, e->name, &t, false, err);
  if (tdir < 0) return -1;
  const char *tname = t.parts[t.n - 1];
  struct stat st;
  if (fstatat(tdir, tname, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return refuse(err, e->name, "is a hard link to \"%s\", which is not in this layer", e->linkname);
    return fail_sys(err, "fstatat", t.rel);
  }
  if (S_ISDIR(st.st_mode)) return refuse(err, e->name, "is a hard link to a directory");
  if (strcmp(t.rel, p->rel) != 0) {
    if (linkat(tdir, tname, dir, name, 0) != 0) {
      if (errno != EEXIST) return fail_sys(err, "linkat", p->rel);
      if (clear_at(&u->tree, dir, name, false, err) < 0) return -1;
      if (linkat(tdir, tname, dir, name, 0) != 0) return fail_sys(err, "linkat", p->rel);
    }
  }
  return 0;
}

int apply_entry(struct unpacker *u, struct entry *e, struct unpack_error *err) {
  __attribute__((cleanup(path_free))) struct path p = { 0 };
  if (path_parse(&p, e->name, e->name, "path", err) < 0) return -1;
  if (p.n == 0) {
    if (e->type != T_DIR) return refuse(err, e->name, "names the layer root but is not a directory");
    return remember_dir(&u->apply, "", e, err);
  }
  const char *base = p.parts[p.n - 1];
  const char *rel = p.rel;
  if (u->apply.is_root && (e->uid > 0xfffffffe || e->gid > 0xfffffffe)) {
    errno = EOVERFLOW;
    return fail_sys(err, "fchown", rel);
  }
  int dir = parent_dir(&u->tree, e->name, &p, true, err);
  if (dir < 0) return -1;
  if (strcmp(base, OPAQUE) == 0) {
    if (fsetxattr(dir, "trusted.overlay.opaque", "y", 1, 0) != 0) return fail_sys(err, "setxattr", rel);
    return 0;
  }
  if (strncmp(base, WH, strlen(WH)) == 0) {
    const char *name = base + strlen(WH);
    /* aufs metadata (.wh..wh.plnk ...): ignored, as docker does */
    if (strncmp(name, WH, strlen(WH)) == 0) return 0;
    if (name[0] == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return refuse(err, e->name, "is an invalid whiteout");
    if (clear_at(&u->tree, dir, name, false, err) < 0) return -1;
    return make_node(u, dir, name, S_IFCHR, makedev(0, 0), rel, err);
  }
  for (size_t i = 0; i < e->nxattrs; i++)
    if (strncmp(e->xattrs[i].name, "trusted.overlay.", 16) == 0) return refuse(err, e->name, "carries the overlayfs attribute %s", e->xattrs[i].name);
  switch (e->type) {
    case T_DIR: return make_dir(u, dir, base, e, rel, err);
    case T_FILE: return write_file(u, dir, base, e, rel, err);
    case T_SYMLINK: return make_symlink(u, dir, base, e, rel, err);
    case T_HARDLINK: return make_hardlink(u, dir, base, e, &p, err);
    case T_CHAR:
    case T_BLOCK:
    case T_FIFO: return make_device(u, dir, base, e, rel, err);
  }
  return 0;
}

int apply_finish(struct unpacker *u, struct unpack_error *err) {
  struct apply *a = &u->apply;
  for (size_t i = a->ndirs; i-- > 0;) {
    /* a later entry may have replaced the directory (even by a symlink): never follow it */
    cleanup_close int fd = open_dir_beneath(&u->tree, a->dirs[i].rel, err);
    if (fd < 0) {
      if (err->kind) return -1;
      continue;
    }
    const char *shown = a->dirs[i].rel[0] ? a->dirs[i].rel : ".";
    if (fchmod(fd, a->dirs[i].mode) != 0) return fail_sys(err, "fchmod", shown);
    struct timespec t[2] = { a->dirs[i].mtime, a->dirs[i].mtime };
    if (futimens(fd, t) != 0) return fail_sys(err, "futimens", shown);
  }
  return 0;
}
