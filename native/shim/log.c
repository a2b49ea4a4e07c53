/* The container log: one JSON object per line {"time":"...ns Z","stream":"stdout","log":"text\n"},
 * rotated by size: `keep` previous files kept as <log>.1 (newest) .. <log>.<keep>. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define PARTIAL_MAX 16384

struct logger {
  int fd;
  const char *path;
  uint64_t size, max;
  int keep;
  char partial[2][PARTIAL_MAX];
  size_t plen[2];
};

struct logger *log_open(const char *path, uint64_t max, int keep, struct shim_error *e) {
  cleanup_free struct logger *l = calloc(1, sizeof *l);
  if (!l) {
    shim_error_set(e, "calloc", path, ENOMEM, "cannot open the container log");
    return NULL;
  }
  l->path = path;
  l->max = max;
  l->keep = keep;
  l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (l->fd < 0) {
    shim_error_set(e, "open", path, errno, "cannot open the container log");
    return NULL;
  }
  struct stat st;
  if (fstat(l->fd, &st) == 0) l->size = st.st_size;
  struct logger *opened = l;
  l = NULL; /* the caller's now */
  return opened;
}

void log_close(struct logger *l) {
  if (!l) return;
  close_fd(&l->fd);
  free(l);
}

static void rotate(struct logger *l) {
  char older[4200], old[4200];
  for (int i = l->keep; i > 1; i--) {
    snprintf(older, sizeof older, "%s.%d", l->path, i);
    snprintf(old, sizeof old, "%s.%d", l->path, i - 1);
    rename(old, older);
  }
  if (l->keep > 0) {
    snprintf(old, sizeof old, "%s.1", l->path);
    rename(l->path, old);
  }
  close(l->fd);
  l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
  l->size = 0;
}

static void emit(struct logger *l, int stream, const char *text, size_t n) {
  static char esc[PARTIAL_MAX * 6 + 16], line[PARTIAL_MAX * 6 + 200];
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '"' || ch == '\\') {
      esc[o++] = '\\';
      esc[o++] = ch;
    } else if (ch == '\n') {
      esc[o++] = '\\';
      esc[o++] = 'n';
    } else if (ch == '\r') {
      esc[o++] = '\\';
      esc[o++] = 'r';
    } else if (ch == '\t') {
      esc[o++] = '\\';
      esc[o++] = 't';
    } else if (ch < 0x20 || ch == 0x7f) o += sprintf(esc + o, "\\u%04x", ch);
    else esc[o++] = ch;
  }
  esc[o] = 0;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  int len = snprintf(line, sizeof line, "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ\",\"stream\":\"%s\",\"log\":\"%s\"}\n", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, stream == 1 ? "stdout" : "stderr", esc);
  if (l->max && l->size + len > l->max && l->size > 0) rotate(l);
  if (l->fd >= 0 && write_all(l->fd, line, len) == 0) l->size += len;
}

/* stream: 1 stdout, 2 stderr. Complete lines are written; a partial line waits (flush forces). */
void log_write(struct logger *l, int stream, const char *buf, size_t n, int flush) {
  int s = stream == 1 ? 0 : 1;
  for (size_t i = 0; i < n; i++) {
    l->partial[s][l->plen[s]++] = buf[i];
    if (buf[i] == '\n' || l->plen[s] == PARTIAL_MAX) {
      emit(l, stream, l->partial[s], l->plen[s]);
      l->plen[s] = 0;
    }
  }
  if (flush && l->plen[s]) {
    emit(l, stream, l->partial[s], l->plen[s]);
    l->plen[s] = 0;
  }
}
