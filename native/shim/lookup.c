/* The service's executable, looked up before the exec gate (as runc's LookPath): a missing
 * one is then a create error on the error channel that names the container (`cannot start
 * "/x": no such file or directory`, exec-not-found), not a line the init prints on the
 * container's stderr after the start. Lenient: whatever execvp might still run passes (the
 * service user's permissions are execve's to judge, once that user is set; only a file with
 * no x bit at all, which not even root may exec, is refused here), so it never refuses a
 * service that would have started. Runs inside the container's root, after the rootfs is set
 * up. What execve refuses past the gate (exec_failed, in the same words) reaches the starter
 * over the exec fifo (monitor.c init_setup). */
#include "shim.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Docker's default, a superset of glibc execvp's "/bin:/usr/bin", for a service without PATH. */
static const char DEFAULT_PATH[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* dir/name may be what execvp runs: anything but a missing file (errno ENOENT), a
 * directory (EISDIR) or a file nobody may execute (EACCES: not even root execs one without
 * an x bit). */
static int may_run(const char *dir, size_t dirlen, const char *name) {
  char p[PATH_MAX];
  if (snprintf(p, sizeof p, "%.*s%s%s", (int)dirlen, dir, dirlen ? "/" : "", name) >= (int)sizeof p) return 1;
  struct stat st;
  if (stat(p, &st) < 0) {
    if (errno == ENOTDIR) errno = ENOENT;
    return errno != ENOENT;
  }
  errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
  return !S_ISDIR(st.st_mode) && (st.st_mode & 0111);
}

int check_executable(const struct config *c, struct shim_error *e) {
  const char *name = c->args[0];
  if (!name || !name[0]) return 0;
  if (strchr(name, '/')) {
    const char *cwd = name[0] == '/' ? "" : c->cwd && c->cwd[0] ? c->cwd : "/";
    if (may_run(cwd, strlen(cwd), name)) return 0;
    return shim_error_set(e, "execve", name, errno, errno == EISDIR ? "is a directory" : errno == EACCES ? "permission denied" : "no such file or directory");
  }
  const char *path = DEFAULT_PATH;
  for (int i = 0; i < c->nenv; i++)
    if (!strncmp(c->env[i], "PATH=", 5)) path = c->env[i] + 5;
  for (const char *d = path;;) {
    size_t n = strcspn(d, ":");
    if (n == 0 || d[0] != '/') return 0;                  /* the working directory is searched: execve's call */
    if (may_run(d, n, name) || errno == EACCES) return 0; /* execvp searches on: lenient */
    if (!d[n]) break;
    d += n + 1;
  }
  return shim_error_set(e, "execve", name, ENOENT, "executable file not found in $PATH");
}

int exec_failed(struct shim_error *e, const char *name, int err) {
  const char *msg = err == EACCES       ? "permission denied"
                    : err != ENOENT     ? NULL
                    : strchr(name, '/') ? "no such file or directory"
                                        : "executable file not found in $PATH";
  return shim_error_set(e, "execve", name, err, msg);
}
