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
#include <pthread.h>
#ifndef BERTH_UNPACK_NO_CRYPTO
#include <openssl/evp.h>
#endif
#include <sys/types.h>
#include <time.h>
#include "../common/cleanup.h"

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

/* An error with its context, returned up to the thread's top-level function (main, or the
 * input thread's) instead of exiting where it happened; that function reports it once. */
struct unpack_error {
  char kind;         /* the report's letter: R refused, T malformed tar, F a system call failed, Z bad gzip */
  const char *entry; /* R: the entry refused (alive until the report) */
  char text[4096];   /* one line */
};

/* error.c: each records the error in err and returns -1. */
__attribute__((format(printf, 3, 4))) int refuse(struct unpack_error *err, const char *entry, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) int bad_tar(struct unpack_error *err, const char *fmt, ...);
int fail_sys(struct unpack_error *err, const char *syscall, const char *path); /* from errno */
int bad_gzip(struct unpack_error *err, const char *what);
/* NULL with err when out of memory. */
void *xmalloc(struct unpack_error *err, size_t n);
char *xstrndup(struct unpack_error *err, const char *s, size_t n);

/* What both threads share: the one report line on stdout (the first error wins). */
struct shared {
  pthread_mutex_t lock;
  bool reported;
};
/* Prints err's report line unless one is out already; `entry` names the entry being
 * applied for an F (NULL: none). Entry names and texts go hex encoded. */
void report(struct shared *sh, const struct unpack_error *err, const char *entry);

/* source.c: the input thread (stdin -> inflate when gzip -> sha256 -> a pipe). */
/* What this build does itself, each word with a space before it: " gunzip" (zlib), " sha256"
 * (libcrypto); a build without their headers leaves that part to the client. */
extern const char unpack_capabilities[];
struct source {
  bool gunzip;
  int out_fd; /* the pipe's write end, the thread's own */
  pthread_t thread;
  bool started;
#ifndef BERTH_UNPACK_NO_CRYPTO
  EVP_MD_CTX *sha;
  unsigned char digest[32];
#endif
  bool failed; /* the thread reported an error */
  struct shared *shared;
};
/* The fd the tar is read from (the pipe's read end; stdin itself when there is nothing to
 * inflate or hash), or -1 with err. Without zlib, gunzip must be false. */
int source_start(struct source *s, bool gunzip, struct shared *sh, struct unpack_error *err);
/* Waits for the input's end: 0 with the sha256 of the tar in hex ("" when this build does
 * not hash); -1 with err, or with err->kind 0 when the input thread reported its own error. */
int source_digest(struct source *s, char hex[65], struct unpack_error *err);
void source_release(struct source *s);

/* tar.c: the streaming reader (hostile input: checksums, bounded sizes and metadata). */
#define TAR_BLOCK 512
/* pax records: key -> value (binary), in first-insertion order; a later record overrides. */
struct kv {
  char *key;
  unsigned char *val;
  size_t len;
};
struct pax {
  struct kv *v;
  size_t n, cap;
};
struct tar {
  int fd; /* stays open until the process ends: closing it under a writing input thread would end the process by SIGPIPE */
  unsigned char *buf;
  size_t off, len;
  bool eof;
  /* what is left of the current entry: body bytes the consumer may read, then the rest to skip */
  uint64_t body_left, skip_left;
  struct pax entry_pax, global_pax;
  char *long_name, *long_link;
  uint64_t entry_meta, global_meta;
  unsigned char h[TAR_BLOCK];
};
/* 0, or -1 with err. */
int tar_init(struct tar *t, int fd, struct unpack_error *err);
void tar_release(struct tar *t);
/* 1 with the next entry, 0 at the archive's end (end blocks or EOF), -1 with err. */
int tar_next(struct tar *t, struct entry *e, struct unpack_error *err);
void entry_free(struct entry *e);
/* Up to max bytes of the current body, pointing into the reader's buffer (0 at its end), or -1 with err. */
ssize_t tar_body(struct tar *t, const unsigned char **p, size_t max, struct unpack_error *err);
/* Skips what is left of the current entry (unread body and padding); 0, or -1 with err. */
int tar_skip_rest(struct tar *t, struct unpack_error *err);
/* Reads the input to its end (bytes after the end blocks still count for the digest); 0, or -1 with err. */
int tar_drain(struct tar *t, struct unpack_error *err);

/* tree.c: fd-relative operations below the layer root, never through a symlink. */
#define MAX_DEPTH 512
struct path {
  char **parts;
  size_t n;
  char *rel; /* the parts joined by '/' */
};
struct tree {
  int root;
  /* the last parent opened: its fd (kept open until replaced) and its path, NULL when stale */
  int cache_fd;
  char *cache_rel;
  bool have_openat2;
};
/* Each 0 (or an fd), or -1 with err. */
int path_parse(struct path *p, const char *entry, const char *name, const char *label, struct unpack_error *err);
void path_free(struct path *p);
void tree_init(struct tree *t, int root_fd);
void tree_release(struct tree *t);
/* The directory holding the last part (cached: the caller must not close it). Creates missing parents when `create`. */
int parent_dir(struct tree *t, const char *entry, const struct path *p, bool create, struct unpack_error *err);
/* The same, a new fd the caller closes (for a second directory held at once). */
int parent_dir_owned(struct tree *t, const char *entry, const struct path *p, bool create, struct unpack_error *err);
/* Removes whatever is at `name` in `dir` (a directory tree too, unless keep_dir). */
int clear_at(struct tree *t, int dir, const char *name, bool keep_dir, struct unpack_error *err);
/* The directory `rel` below the root; -1 with err->kind 0 when it is no longer a real directory there. */
int open_dir_beneath(struct tree *t, const char *rel, struct unpack_error *err);

/* apply.c: the rules. */
/* Directory modes and times, applied at the end (children first) where a real directory still is. */
struct dir_meta {
  char *rel;
  mode_t mode;
  struct timespec mtime;
};
struct apply {
  bool is_root;
  /* root with group 0 in a layer root that is not setgid: what it creates is already owned by 0:0 (modes, setgid ones included, come at the end) */
  bool creates_as_root;
  struct dir_meta *dirs;
  size_t ndirs, capdirs;
  uint64_t unpacked_bytes;
};

/* The unpacking thread's state, made in main() and passed down. berth-unpack keeps no
 * file-level mutable state. */
struct unpacker {
  struct tar tar;
  struct tree tree;
  struct apply apply;
};
void apply_init(struct unpacker *u, int root_fd);
void apply_release(struct apply *a);
/* Each 0, or -1 with err. */
int apply_entry(struct unpacker *u, struct entry *e, struct unpack_error *err);
int apply_finish(struct unpacker *u, struct unpack_error *err);

#endif
