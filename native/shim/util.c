/* Errors as data, small file helpers, and the sealed-memfd self re-exec (CVE-2019-5736). */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <termios.h>

void json_str(char *out, size_t cap, const char *s) {
  size_t o = 0;
  if (cap < 3) return;
  out[o++] = '"';
  for (; s && *s && o + 8 < cap; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') {
      out[o++] = '\\';
      out[o++] = ch;
    } else if (ch == '\n') {
      out[o++] = '\\';
      out[o++] = 'n';
    } else if (ch == '\t') {
      out[o++] = '\\';
      out[o++] = 't';
    } else if (ch < 0x20) o += snprintf(out + o, cap - o, "\\u%04x", ch);
    else out[o++] = ch;
  }
  out[o++] = '"';
  out[o] = 0;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

int host_root_ids(struct config *c, unsigned *uid, unsigned *gid) {
  unsigned inside;
  *gid = 0;
  if (!c->uid_map || sscanf(c->uid_map, "%u %u", &inside, uid) != 2) return 0;
  if (c->gid_map) sscanf(c->gid_map, "%u %u", &inside, gid);
  return 1;
}

int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= w;
  }
  return 0;
}

void foreground_init(struct shim_ctx *x) {
  x->foreground = 1;
  /* Node's fds (epoll, eventfd, io_uring, pipes) and its ignored SIGPIPE/SIGXFSZ are not ours */
  if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
    for (int fd = 3; fd < 1024; fd++) close(fd);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
  /* Node may have made its stdio non-blocking (libuv does for pipes it wrapped) */
  for (int fd = 0; fd < 3; fd++) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  }
  dup3(2, ERR_FD, O_CLOEXEC);
}

/* `run`: the message the CLI would print for the same failure (src/native/shim-protocol.ts). */
static void report_text(int fd, const char *id, const char *syscall, const char *path, int err, const char *msg) {
  const char *m = msg ? msg : (err ? strerror(err) : "");
  const char *name = err ? strerrorname_np(err) : NULL;
  if (!id) dprintf(fd, "berth-shim: %s %s: %s\n", syscall, path ? path : "", m);
  else if (!strcmp(syscall, "execve")) dprintf(fd, "berth: container %s: cannot start \"%s\": %s\n", id, path ? path : "", m);
  else if (!strcmp(syscall, "mount-target")) dprintf(fd, "berth: container %s: mount target %s %s\n", id, path ? path : "", m);
  else
    dprintf(fd, "berth: container %s: %s%s%s: %s%s%s%s\n", id, syscall, path && path[0] ? " " : "", path ? path : "", m, name ? " (" : "", name ? name : "",
            name ? ")" : "");
}

/* One JSON line: {"type":"error","syscall":..,"errno":..,"path":..,"message":..}; its length. */
static int format_json(char *line, size_t cap, const char *syscall, const char *path, int err, const char *msg) {
  char sys[128], p[1200], m[600];
  json_str(sys, sizeof sys, syscall);
  json_str(p, sizeof p, path ? path : "");
  json_str(m, sizeof m, msg ? msg : (err ? strerror(err) : ""));
  int n = snprintf(line, cap, "{\"type\":\"error\",\"syscall\":%s,\"errno\":%d,\"path\":%s,\"message\":%s}\n", sys, err, p, m);
  return n < (int)cap ? n : (int)cap - 1;
}

int report_error(const struct shim_ctx *x, const struct shim_error *e) {
  const char *sys = e->syscall ? e->syscall : "unknown";
  char line[2200];
  int n = format_json(line, sizeof line, sys, e->path, e->err, e->msg);
  /* every caller ends soon after: a reader gone from one channel must not keep the report from the others */
  signal(SIGPIPE, SIG_IGN);
  /* first to whoever waits for the exec: the starter past the gate (monitor.c), exec -d's keeper */
  if (x->notify_fd >= 0) write_all(x->notify_fd, line, n);
  /* Past the exec gate nobody may be listening on ERR_FD: the log gets it too (in the
   * foreground the log and the terminal get it through the container's stderr). */
  if (x->foreground && !x->after_gate) report_text(ERR_FD, x->id, sys, e->path, e->err, e->msg);
  else if (!x->foreground && write_all(ERR_FD, line, n) < 0)
    dprintf(2, "berth-shim: %s %s: %s\n", sys, e->path ? e->path : "", e->msg ? e->msg : strerror(e->err)); /* no error channel (run by hand) */
  if (x->after_gate) report_text(2, x->id, sys, e->path, e->err, e->msg);
  /* `run`: a failure of the monitor itself is berth's, not the container's: 1, as the CLI */
  if (x->foreground && !x->in_container) return 1;
  /* docker's: 127 a command not found, 126 one that cannot be run (a directory, no x bit) */
  return !strcmp(sys, "execve") && e->err != ENOENT ? 126 : 127;
}

int shim_error_set(struct shim_error *e, const char *syscall, const char *path, int err, const char *msg) {
  e->syscall = syscall;
  e->err = err;
  e->path = path ? (snprintf(e->pathbuf, sizeof e->pathbuf, "%s", path), e->pathbuf) : NULL;
  e->msg = msg ? (snprintf(e->msgbuf, sizeof e->msgbuf, "%s", msg), e->msgbuf) : NULL;
  return -1;
}

int write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  int r = write_all(fd, data, strlen(data));
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP) rmdir(p);
  else unlink(p);
  return 0;
}

int rm_tree(const char *path) { return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT); }

/* Re-executes this program from a sealed, read-only memfd copy so that a container process
 * can never open /proc/<shim>/exe for writing and overwrite the host binary. */
int ensure_sealed_self(char **argv, struct shim_error *e) {
  cleanup_close int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0) return shim_error_set(e, "open", "/proc/self/exe", errno, NULL);
  int seals = fcntl(self, F_GET_SEALS);
  if (seals >= 0 && (seals & F_SEAL_WRITE)) return 0;
  cleanup_close int mfd = memfd_create("berth-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0) return shim_error_set(e, "memfd_create", NULL, errno, NULL);
  struct stat st;
  if (fstat(self, &st) < 0) return shim_error_set(e, "fstat", "/proc/self/exe", errno, NULL);
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mfd, self, &off, st.st_size - off);
    if (n <= 0) return shim_error_set(e, "sendfile", "/proc/self/exe", errno, NULL);
  }
  /* EBUSY: the kernel still saw extra references on the copied pages (per-CPU LRU batches
   * under load); they go away by themselves, so retry briefly. Never exec unsealed. */
  int r;
  for (int t = 0; (r = fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)) < 0 && errno == EBUSY && t < 50; t++) usleep(1000);
  if (r < 0) return shim_error_set(e, "fcntl", "F_ADD_SEALS", errno, NULL);
  extern char **environ;
  fexecve(mfd, argv, environ);
  return shim_error_set(e, "fexecve", "memfd:berth-shim", errno, NULL);
}

/* A pty pair (master for the monitor, slave for the process), sized like our stdout when
 * `size_from_stdout`; puts our stdin in raw mode when `raw_stdin` and it is a terminal.
 * Returns whether raw mode was set (the caller restores `saved` then). */
int open_pty(int *master, int *slave, int size_from_stdout, int raw_stdin, struct termios *saved, int *raw, struct shim_error *e) {
  *raw = 0;
  *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  char name[64];
  if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 || ptsname_r(*master, name, sizeof name) != 0)
    return shim_error_set(e, "posix_openpt", "/dev/ptmx", errno, "cannot allocate a pty");
  *slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*slave < 0) return shim_error_set(e, "open", name, errno, NULL);
  struct winsize ws = { 24, 80, 0, 0 };
  if (size_from_stdout && isatty(1)) ioctl(1, TIOCGWINSZ, &ws);
  ioctl(*master, TIOCSWINSZ, &ws);
  if (raw_stdin && isatty(0) && tcgetattr(0, saved) == 0) {
    struct termios t = *saved;
    cfmakeraw(&t);
    *raw = tcsetattr(0, TCSANOW, &t) == 0;
  }
  return 0;
}
