/*
 * berth-unpack: applies one uncompressed layer tar to an empty directory, in overlayfs's
 * format (src/image/unpack.ts is its client). The owner of the layer unpack rules:
 * - names: no absolute path, no `..` component, at most MAX_DEPTH components (path_parse);
 * - every parent is a real directory below the root, reached fd-relative with openat2
 *   (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) or one O_NOFOLLOW step at a time: never
 *   through a symlink (tree.c);
 * - existing entries are replaced (unlink, then O_EXCL|O_NOFOLLOW create), never written
 *   through; hard links only to an entry already in this layer, never to a directory;
 * - `.wh.NAME` -> 0:0 char device, `.wh..wh..opq` -> trusted.overlay.opaque=y, other
 *   `.wh..wh.*` ignored; trusted.overlay.* xattrs refused (apply.c);
 * - directory modes and times applied at the end, only where a real directory still is;
 * - sizes and names come from the tar and are not trusted: checksums, bounded metadata
 *   (tar.c); memory does not grow with the layer.
 * Usage: berth-unpack [--gunzip] < layer, with the (empty) destination directory open on fd 3.
 * The layer is a tar, or with --gunzip a gzip'd tar (inflated on a second thread, source.c).
 * Prints one line on stdout and exits: `ok <bytes of file content> sha256:<hex of the tar>
 * <user µs> <system µs>` (its own CPU time, for BERTH_TRACE), or on failure
 *   R <entry> <why>   refused: an unsafe entry (image/unsafe-layer)
 *   T <what>          malformed tar (image/invalid-tar)
 *   F <entry> <what>  a system call failed (image/unpack-failed); <entry> empty while finishing
 *   Z <what>          the gzip stream is damaged (image/invalid-layer)
 * with every field hex encoded. What was written so far stays: the caller removes the
 * directory (it unpacks into a temp dir and renames on success).
 */
#include "unpack.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

const char *current_entry;

static void put_hex(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) printf("%02x", *p);
}

/* The first report wins: the input thread and the unpacking one may both fail at once. */
static pthread_mutex_t reporting = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noreturn)) static void report(char kind, const char *entry, const char *text) {
  pthread_mutex_lock(&reporting); /* never unlocked: the process ends below */
  printf("%c ", kind);
  if (entry) {
    put_hex(entry);
    printf(" ");
  }
  put_hex(text);
  printf("\n");
  fflush(stdout);
  _exit(1);
}

/* Texts end up in one-line messages: control bytes become '?'. */
static void one_line(char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

/* fmt and the variadic arguments, formatted into buf (one line) */
#define FORMAT_LINE(buf, fmt) \
  do { \
    va_list ap; \
    va_start(ap, fmt); \
    vsnprintf(buf, sizeof buf, fmt, ap); \
    va_end(ap); \
    one_line(buf); \
  } while (0)

void refuse(const char *entry, const char *fmt, ...) {
  char why[4096];
  FORMAT_LINE(why, fmt);
  report('R', entry, why);
}

void bad_tar(const char *fmt, ...) {
  char what[4096];
  FORMAT_LINE(what, fmt);
  report('T', NULL, what);
}

void bad_gzip(const char *what) {
  char text[1024];
  snprintf(text, sizeof text, "%s", what);
  one_line(text);
  report('Z', NULL, text);
}

void fail_sys(const char *syscall, const char *path) {
  char what[4096];
  const char *name = strerrorname_np(errno);
  snprintf(what, sizeof what, "%s \"%s\": %s (%s)", syscall, path, name ? name : "?", strerror(errno));
  one_line(what);
  report('F', current_entry ? current_entry : "", what);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    errno = ENOMEM;
    fail_sys("malloc", "");
  }
  return p;
}

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

int main(int argc, char **argv) {
  struct stat st;
  bool gunzip = argc == 2 && strcmp(argv[1], "--gunzip") == 0;
  if ((argc != 1 && !gunzip) || fstat(3, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "usage: berth-unpack [--gunzip] < layer, with the destination directory open on fd 3\n");
    return 2;
  }
  umask(0);
  /* fewer, bigger reads from the pipe Node writes into (best effort) */
  fcntl(0, F_SETPIPE_SZ, 1 << 20);
  tar_init(source_start(gunzip));
  tree_init(3);
  apply_init(3);
  struct entry e;
  while (tar_next(&e)) {
    current_entry = e.name;
    apply_entry(&e);
    tar_skip_rest();
  }
  current_entry = NULL;
  tar_drain();
  apply_finish();
  char digest[65];
  source_digest(digest);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("ok %llu sha256:%s %lld %lld\n", (unsigned long long)unpacked_bytes, digest, (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
         (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
  fflush(stdout);
  return 0;
}
