/*
 * berth-unpack: applies one uncompressed image layer tar (stdin) to an empty directory
 * (fd 3), in overlayfs's format. The owner of every layer unpack rule; see main.c.
 */
#ifndef BERTH_UNPACK_H
#define BERTH_UNPACK_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum tar_type { T_FILE, T_HARDLINK, T_SYMLINK, T_CHAR, T_BLOCK, T_DIR, T_FIFO };

struct xattr {
  char *name;
  unsigned char *value;
  size_t len;
};

/* One tar entry's header, everything decoded; the body follows on the input. */
struct entry {
  char *name;
  char *linkname;
  enum tar_type type;
  uint64_t mode, uid, gid, size, devmajor, devminor;
  int64_t mtime_s;
  long mtime_ns;
  struct xattr *xattrs;
  size_t nxattrs;
};

/* main.c: the one-line report on stdout, then exit. Entry names and texts go hex encoded. */
__attribute__((noreturn, format(printf, 2, 3))) void refuse(const char *entry, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void bad_tar(const char *fmt, ...);
__attribute__((noreturn)) void fail_sys(const char *syscall, const char *path);
__attribute__((noreturn)) void bad_gzip(const char *what);
void *xmalloc(size_t n);
char *xstrndup(const char *s, size_t n);
/* The entry being applied (for failure reports); NULL while finishing. */
extern const char *current_entry;

/* source.c: the input thread (stdin -> inflate when gzip -> sha256 -> a pipe); the pipe's read end. */
int source_start(bool gunzip);
/* Waits for the input's end; the sha256 of the tar, in hex. */
void source_digest(char hex[65]);

/* tar.c: the streaming reader (hostile input: checksums, bounded sizes and metadata). */
void tar_init(int fd);
/* The next entry, or false at the archive's end (end blocks or EOF). */
bool tar_next(struct entry *e);
/* Up to max bytes (at least 1) of the current body, pointing into the reader's buffer. */
size_t tar_body(const unsigned char **p, size_t max);
/* Skips what is left of the current entry (unread body and padding). */
void tar_skip_rest(void);
/* Reads the input to its end (bytes after the end blocks still count for the digest). */
void tar_drain(void);

/* tree.c: fd-relative operations below the layer root, never through a symlink. */
#define MAX_DEPTH 512
struct path {
  char **parts;
  size_t n;
  char *rel; /* the parts joined by '/' */
};
void path_parse(struct path *p, const char *entry, const char *name, const char *label);
void path_free(struct path *p);
void tree_init(int root_fd);
/* The directory holding the last part (cached: the caller must not close it). Creates missing parents when `create`. */
int parent_dir(const char *entry, const struct path *p, bool create);
/* The same, a new fd the caller closes (for a second directory held at once). */
int parent_dir_owned(const char *entry, const struct path *p, bool create);
/* Removes whatever is at `name` in `dir` (a directory tree too, unless keep_dir); true if something was removed. */
void clear_at(int dir, const char *name, bool keep_dir);
/* The directory `rel` below the root, or -1 when it is no longer a real directory there. */
int open_dir_beneath(const char *rel);

/* apply.c: the rules. */
void apply_init(int root_fd);
void apply_entry(struct entry *e);
void apply_finish(void);
extern uint64_t unpacked_bytes;

#endif
