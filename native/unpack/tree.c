/*
 * Paths below the layer root, fd-relative, never through a symlink: an entry's parent is
 * opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) in one call (the common case:
 * it exists), or walked one O_NOFOLLOW step at a time from the root, which creates what is
 * missing and names the component that is a symlink or not a directory. The last parent
 * stays open for the next entries (tar lists a directory's files together).
 */
#include "unpack.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

void tree_init(struct tree *t, int root_fd) {
  t->root = root_fd;
  t->cache_fd = -1;
  t->cache_rel = NULL;
  t->have_openat2 = true;
}

void tree_release(struct tree *t) {
  close_fd(&t->cache_fd);
  free(t->cache_rel);
  t->cache_rel = NULL;
}

int path_parse(struct path *p, const char *entry, const char *name, const char *label, struct unpack_error *err) {
  char shown[4096] = "";
  memset(p, 0, sizeof *p);
  if (strcmp(entry, name) != 0) snprintf(shown, sizeof shown, " \"%s\"", name);
  if (name[0] == '/') return refuse(err, entry, "has an absolute %s%s", label, shown);
  size_t cap = 8;
  if (!(p->parts = xmalloc(err, cap * sizeof *p->parts)) || !(p->rel = xmalloc(err, strlen(name) + 1))) return -1;
  size_t rl = 0;
  bool dotdot = false;
  for (const char *s = name; *s;) {
    const char *slash = strchr(s, '/');
    size_t l = slash ? (size_t)(slash - s) : strlen(s);
    if (l == 2 && s[0] == '.' && s[1] == '.') dotdot = true;
    if (l > 0 && !(l == 1 && s[0] == '.')) {
      if (p->n == cap) {
        cap *= 2;
        char **grown = realloc(p->parts, cap * sizeof *p->parts);
        if (!grown) return fail_sys(err, "realloc", "");
        p->parts = grown;
      }
      if (!(p->parts[p->n] = xstrndup(err, s, l))) return -1;
      p->n++;
      if (rl) p->rel[rl++] = '/';
      memcpy(p->rel + rl, s, l);
      rl += l;
    }
    s += l;
    if (*s == '/') s++;
  }
  p->rel[rl] = 0;
  if (dotdot) return refuse(err, entry, "has a \"..\" component in its %s%s", label, shown);
  if (p->n > MAX_DEPTH) return refuse(err, entry, "has more than %d components in its %s%s", MAX_DEPTH, label, shown);
  return 0;
}

void path_free(struct path *p) {
  for (size_t i = 0; i < p->n; i++) free(p->parts[i]);
  free(p->parts);
  free(p->rel);
  memset(p, 0, sizeof *p);
}

/* The length of the first k parts joined (a prefix of rel). */
static size_t prefix_len(const struct path *p, size_t k) {
  size_t l = 0;
  for (size_t i = 0; i < k; i++) l += strlen(p->parts[i]) + (i ? 1 : 0);
  return l;
}

/* -1 with errno (ENOSYS: no openat2) */
static int beneath(struct tree *t, const char *rel) {
  if (!t->have_openat2) {
    errno = ENOSYS;
    return -1;
  }
  struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  int fd = (int)syscall(SYS_openat2, t->root, rel, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) t->have_openat2 = false;
  return fd;
}

/* Walks the first k parts one step at a time; creates missing directories when `create`. */
static int walk(struct tree *t, const char *entry, const struct path *p, size_t k, bool create, struct unpack_error *err) {
  cleanup_close int fd = openat(t->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail_sys(err, "openat", ".");
  for (size_t i = 0; i < k; i++) {
    const char *name = p->parts[i];
    int shown = (int)prefix_len(p, i + 1);
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) return fail_sys(err, "fstatat", name);
      if (!create) return refuse(err, entry, "points at a missing directory \"%.*s\"", shown, p->rel);
      if (mkdirat(fd, name, 0755) != 0 && errno != EEXIST) return fail_sys(err, "mkdirat", name);
    } else if (S_ISLNK(st.st_mode)) return refuse(err, entry, "would be written through the symlink \"%.*s\"", shown, p->rel);
    else if (!S_ISDIR(st.st_mode)) return refuse(err, entry, "has the non-directory \"%.*s\" as a parent", shown, p->rel);
    int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      if (errno == ELOOP || errno == ENOTDIR) return refuse(err, entry, "would be written through the symlink \"%.*s\"", shown, p->rel);
      return fail_sys(err, "openat", name);
    }
    close(fd);
    fd = next;
  }
  int r = fd;
  fd = -1;
  return r;
}

static int open_parent(struct tree *t, const char *entry, const struct path *p, bool create, struct unpack_error *err) {
  size_t k = p->n - 1;
  cleanup_free char *rel = xstrndup(err, p->rel, prefix_len(p, k));
  if (!rel) return -1;
  int fd = beneath(t, rel);
  if (fd < 0) fd = walk(t, entry, p, k, create, err);
  return fd;
}

int parent_dir(struct tree *t, const char *entry, const struct path *p, bool create, struct unpack_error *err) {
  if (p->n <= 1) return t->root;
  size_t l = prefix_len(p, p->n - 1);
  if (t->cache_rel && strlen(t->cache_rel) == l && memcmp(t->cache_rel, p->rel, l) == 0) return t->cache_fd;
  int fd = open_parent(t, entry, p, create, err);
  if (fd < 0) return -1;
  close_fd(&t->cache_fd);
  free(t->cache_rel);
  t->cache_fd = fd;
  t->cache_rel = xstrndup(err, p->rel, l);
  return t->cache_rel ? fd : -1;
}

int parent_dir_owned(struct tree *t, const char *entry, const struct path *p, bool create, struct unpack_error *err) {
  if (p->n <= 1) {
    int fd = dup(t->root);
    return fd < 0 ? fail_sys(err, "dup", ".") : fd;
  }
  return open_parent(t, entry, p, create, err);
}

static void close_dir(DIR **d) {
  if (*d) closedir(*d);
}

/* Removes the tree `name` in `dir` (entries of this layer: at most MAX_DEPTH deep). */
static int remove_tree(int dir, const char *name, struct unpack_error *err) {
  for (int round = 0;; round++) {
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return fail_sys(err, "openat", name);
    __attribute__((cleanup(close_dir))) DIR *d = fdopendir(fd);
    if (!d) {
      close(fd);
      return fail_sys(err, "fdopendir", name);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
      struct stat st;
      bool is_dir = de->d_type == DT_DIR;
      if (de->d_type == DT_UNKNOWN) is_dir = fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
      if (is_dir) {
        if (remove_tree(fd, de->d_name, err) < 0) return -1;
      } else if (unlinkat(fd, de->d_name, 0) != 0 && errno != ENOENT) return fail_sys(err, "unlinkat", de->d_name);
    }
    closedir(d);
    d = NULL;
    if (unlinkat(dir, name, AT_REMOVEDIR) == 0) return 0;
    /* a directory read while its entries go may miss some: read it again */
    if (errno != ENOTEMPTY || round == 3) return fail_sys(err, "unlinkat", name);
  }
}

int clear_at(struct tree *t, int dir, const char *name, bool keep_dir, struct unpack_error *err) {
  struct stat st;
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return 0;
    return fail_sys(err, "fstatat", name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_dir) return 0;
    if (remove_tree(dir, name, err) < 0) return -1;
    /* the cached parent may have been inside: stale (its fd stays open: a caller may hold it) */
    free(t->cache_rel);
    t->cache_rel = NULL;
    return 0;
  }
  if (unlinkat(dir, name, 0) != 0 && errno != ENOENT) return fail_sys(err, "unlinkat", name);
  return 0;
}

int open_dir_beneath(struct tree *t, const char *rel, struct unpack_error *err) {
  err->kind = 0;
  if (rel[0] == 0) {
    int fd = dup(t->root);
    return fd < 0 ? fail_sys(err, "dup", ".") : fd;
  }
  int fd = beneath(t, rel);
  if (fd >= 0) return fd;
  if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR || errno == EXDEV) return -1;
  if (t->have_openat2) return fail_sys(err, "openat2", rel);
  /* no openat2: one O_NOFOLLOW step at a time */
  fd = openat(t->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_free char *copy = xstrndup(err, rel, strlen(rel));
  if (!copy) {
    if (fd >= 0) close(fd);
    return -1;
  }
  char *save = NULL;
  for (char *part = strtok_r(copy, "/", &save); part && fd >= 0; part = strtok_r(NULL, "/", &save)) {
    int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(fd);
    fd = next;
  }
  return fd;
}
