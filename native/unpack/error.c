/*
 * Errors with their context (struct unpack_error), recorded where they happen and returned
 * up to the thread's top-level function, which reports them once as the report line
 * (the format is in main.c).
 */
#include "unpack.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Texts end up in one-line messages: control bytes become '?'. */
static void one_line(char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

static int record(struct unpack_error *err, char kind, const char *entry, const char *fmt, va_list ap) {
  err->kind = kind;
  err->entry = entry;
  vsnprintf(err->text, sizeof err->text, fmt, ap);
  one_line(err->text);
  return -1;
}

int refuse(struct unpack_error *err, const char *entry, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  record(err, 'R', entry, fmt, ap);
  va_end(ap);
  return -1;
}

int bad_tar(struct unpack_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  record(err, 'T', NULL, fmt, ap);
  va_end(ap);
  return -1;
}

int bad_gzip(struct unpack_error *err, const char *what) {
  err->kind = 'Z';
  err->entry = NULL;
  /* as before: at most 1023 bytes of zlib's message */
  snprintf(err->text, 1024, "%s", what);
  one_line(err->text);
  return -1;
}

int fail_sys(struct unpack_error *err, const char *syscall, const char *path) {
  const char *name = strerrorname_np(errno);
  err->kind = 'F';
  err->entry = NULL;
  snprintf(err->text, sizeof err->text, "%s \"%s\": %s (%s)", syscall, path, name ? name : "?", strerror(errno));
  one_line(err->text);
  return -1;
}

void *xmalloc(struct unpack_error *err, size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    errno = ENOMEM;
    fail_sys(err, "malloc", "");
  }
  return p;
}

char *xstrndup(struct unpack_error *err, const char *s, size_t n) {
  char *p = xmalloc(err, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

static void put_hex(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) printf("%02x", *p);
}

void report(struct shared *sh, const struct unpack_error *err, const char *entry) {
  pthread_mutex_lock(&sh->lock);
  if (!sh->reported) {
    sh->reported = true;
    printf("%c ", err->kind);
    if (err->kind == 'R' || err->kind == 'F') {
      put_hex(err->kind == 'R' ? err->entry : entry ? entry : "");
      printf(" ");
    }
    put_hex(err->text);
    printf("\n");
    fflush(stdout);
  }
  pthread_mutex_unlock(&sh->lock);
}
