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

static int root;
/* the last parent opened: its fd (kept open until replaced) and its path, NULL when stale */
static int cache_fd = -1;
static char *cache_rel;
static bool have_openat2 = true;

void tree_init(int root_fd) { root = root_fd; }

void path_parse(struct path *p, const char *entry, const char *name, const char *label) {
  char shown[4096] = "";
  if (strcmp(entry, name) != 0) snprintf(shown, sizeof shown, " \"%s\"", name);
  if (name[0] == '/') refuse(entry, "has an absolute %s%s", label, shown);
  size_t cap = 8;
  p->parts = xmalloc(cap * sizeof *p->parts);
  p->n = 0;
  p->rel = xmalloc(strlen(name) + 1);
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
        if (!grown) fail_sys("realloc", "");
        p->parts = grown;
      }
      p->parts[p->n++] = xstrndup(s, l);
      if (rl) p->rel[rl++] = '/';
      memcpy(p->rel + rl, s, l);
      rl += l;
    }
    s += l;
    if (*s == '/') s++;
  }
  p->rel[rl] = 0;
  if (dotdot) refuse(entry, "has a \"..\" component in its %s%s", label, shown);
  if (p->n > MAX_DEPTH) refuse(entry, "has more than %d components in its %s%s", MAX_DEPTH, label, shown);
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

static int beneath(const char *rel) {
  if (!have_openat2) return -1;
  struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  int fd = (int)syscall(SYS_openat2, root, rel, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) have_openat2 = false;
  return fd;
}

/* Walks the first k parts one step at a time; creates missing directories when `create`. */
static int walk(const char *entry, const struct path *p, size_t k, bool create) {
  int fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_sys("openat", ".");
  for (size_t i = 0; i < k; i++) {
    const char *name = p->parts[i];
    int shown = (int)prefix_len(p, i + 1);
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) fail_sys("fstatat", name);
      if (!create) refuse(entry, "points at a missing directory \"%.*s\"", shown, p->rel);
      if (mkdirat(fd, name, 0755) != 0 && errno != EEXIST) fail_sys("mkdirat", name);
    } else if (S_ISLNK(st.st_mode)) refuse(entry, "would be written through the symlink \"%.*s\"", shown, p->rel);
    else if (!S_ISDIR(st.st_mode)) refuse(entry, "has the non-directory \"%.*s\" as a parent", shown, p->rel);
    int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      if (errno == ELOOP || errno == ENOTDIR) refuse(entry, "would be written through the symlink \"%.*s\"", shown, p->rel);
      fail_sys("openat", name);
    }
    close(fd);
    fd = next;
  }
  return fd;
}

static int open_parent(const char *entry, const struct path *p, bool create) {
  size_t k = p->n - 1;
  char *rel = xstrndup(p->rel, prefix_len(p, k));
  int fd = beneath(rel);
  if (fd < 0) fd = walk(entry, p, k, create);
  free(rel);
  return fd;
}

int parent_dir(const char *entry, const struct path *p, bool create) {
  if (p->n <= 1) return root;
  size_t l = prefix_len(p, p->n - 1);
  if (cache_rel && strlen(cache_rel) == l && memcmp(cache_rel, p->rel, l) == 0) return cache_fd;
  int fd = open_parent(entry, p, create);
  if (cache_fd >= 0) close(cache_fd);
  free(cache_rel);
  cache_fd = fd;
  cache_rel = xstrndup(p->rel, l);
  return fd;
}

int parent_dir_owned(const char *entry, const struct path *p, bool create) {
  if (p->n <= 1) {
    int fd = dup(root);
    if (fd < 0) fail_sys("dup", ".");
    return fd;
  }
  return open_parent(entry, p, create);
}

/* Removes the tree `name` in `dir` (entries of this layer: at most MAX_DEPTH deep). */
static void remove_tree(int dir, const char *name) {
  for (int round = 0;; round++) {
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) fail_sys("openat", name);
    DIR *d = fdopendir(fd);
    if (!d) fail_sys("fdopendir", name);
    struct dirent *de;
    while ((de = readdir(d))) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
      struct stat st;
      bool is_dir = de->d_type == DT_DIR;
      if (de->d_type == DT_UNKNOWN) is_dir = fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
      if (is_dir) remove_tree(fd, de->d_name);
      else if (unlinkat(fd, de->d_name, 0) != 0 && errno != ENOENT) fail_sys("unlinkat", de->d_name);
    }
    closedir(d);
    if (unlinkat(dir, name, AT_REMOVEDIR) == 0) return;
    /* a directory read while its entries go may miss some: read it again */
    if (errno != ENOTEMPTY || round == 3) fail_sys("unlinkat", name);
  }
}

void clear_at(int dir, const char *name, bool keep_dir) {
  struct stat st;
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    fail_sys("fstatat", name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_dir) return;
    remove_tree(dir, name);
    /* the cached parent may have been inside: stale (its fd stays open: a caller may hold it) */
    free(cache_rel);
    cache_rel = NULL;
    return;
  }
  if (unlinkat(dir, name, 0) != 0 && errno != ENOENT) fail_sys("unlinkat", name);
}

int open_dir_beneath(const char *rel) {
  if (rel[0] == 0) {
    int fd = dup(root);
    if (fd < 0) fail_sys("dup", ".");
    return fd;
  }
  int fd = beneath(rel);
  if (fd >= 0) return fd;
  if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR || errno == EXDEV) return -1;
  if (have_openat2) fail_sys("openat2", rel);
  /* no openat2: one O_NOFOLLOW step at a time */
  fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char *copy = xstrndup(rel, strlen(rel)), *save = NULL;
  for (char *part = strtok_r(copy, "/", &save); part && fd >= 0; part = strtok_r(NULL, "/", &save)) {
    int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(fd);
    fd = next;
  }
  free(copy);
  return fd;
}
