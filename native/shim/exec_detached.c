/* `berth-shim exec CONF` with `detach=1` (`exec -d`): starts the process in the container and
 * returns as soon as it has exec'd (or failed), without waiting for it to end.
 *
 *   shim (the caller's child)        reads one int from the keeper: 0 = started, else the
 *    │                               failed process's exit code (its error is on ERR_FD)
 *    └─ keeper (host namespaces, own session, not in the container's cgroup)
 *         └─ process: joins the container's cgroup, then all its namespaces; stdio /dev/null
 *
 * The keeper is the process's parent, as containerd's shim or conmon are for a detached exec:
 * it reaps it when it ends (whatever the container's pid 1 does with orphans), then exits.
 * Only pid_for_children is switched in the keeper, so the process is born in the
 * container's pid namespace; when the container stops, the kernel kills the process and
 * the keeper goes with it. Its output is discarded, as Docker's `exec -d` does. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int read_full(int fd, void *buf, size_t n) {
  ssize_t k;
  while ((k = read(fd, buf, n)) < 0 && errno == EINTR) {}
  return (int)k;
}

/* The process's top-level function (born in the container's pid namespace): joins the
 * container's cgroup and its other namespaces, then execs; the one place it ends on an error.
 * A failure writes one byte to `started` (a successful exec closes it). */
static void process_main(struct shim_ctx *x, struct config *c, int pidfd, int devnull, int started) __attribute__((noreturn));
static void process_main(struct shim_ctx *x, struct config *c, int pidfd, int devnull, int started) {
  struct shim_error e = { 0 };
  x->notify_fd = started;
  if (exec_join(c, pidfd, &e) == 0) {
    close(pidfd);
    if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0) shim_error_set(&e, "dup2", "/dev/null", errno, NULL);
    else exec_process(x, c, &e);
  }
  _exit(report_error(x, &e));
}

/* The keeper's work: 0 once the process has ended (or failed and was reaped), -1 with e when
 * it could not be started. */
static int keep(struct shim_ctx *x, struct config *c, int pidfd, int devnull, int result, struct shim_error *e) {
  setsid(); /* out of the caller's session: no terminal signal reaches the keeper or the process */
  if (setns(pidfd, CLONE_NEWPID) < 0) return shim_error_set(e, "setns", "pidfd", errno, "cannot enter the container's pid namespace");
  int started[2];
  if (pipe2(started, O_CLOEXEC) < 0) return shim_error_set(e, "pipe2", NULL, errno, NULL);
  cleanup_close int started_r = started[0], started_w = started[1];
  pid_t child = fork();
  if (child < 0) return shim_error_set(e, "fork", NULL, errno, NULL);
  if (child == 0) {
    close(started_r);
    close(result);
    process_main(x, c, pidfd, devnull, started_w);
  }
  close_fd(&started_w);
  close(pidfd);
  signal(SIGHUP, SIG_IGN); /* after the fork: ignored signals would stay ignored across its exec */
  signal(SIGINT, SIG_IGN);
  char b;
  int code = 0, st;
  if (read_full(started_r, &b, 1) == 1) {
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
    code = exit_code(st);
    if (code == 0) code = 127;
    write_all(result, &code, sizeof code);
    return 0;
  }
  /* started: let go of the caller's stdio and error channel before answering, so that the
   * caller sees all its pipes close when the shim exits */
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  close(ERR_FD);
  write_all(result, &code, sizeof code);
  if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
    for (int fd = 3; fd < 1024; fd++) close(fd);
  started_r = -1; /* closed with the rest */
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
  return 0;
}

/* The keeper's top-level function: the one place it ends. */
static void keeper(struct shim_ctx *x, struct config *c, int pidfd, int devnull, int result) __attribute__((noreturn));
static void keeper(struct shim_ctx *x, struct config *c, int pidfd, int devnull, int result) {
  struct shim_error e = { 0 };
  _exit(keep(x, c, pidfd, devnull, result, &e) < 0 ? report_error(x, &e) : 0);
}

/* Forks the keeper: 0 with *result the end it answers on, or -1 with e. */
static int start_keeper(struct shim_ctx *x, struct config *c, int *result, struct shim_error *e) {
  cleanup_close int pidfd = syscall(SYS_pidfd_open, c->pid, 0);
  if (pidfd < 0) return shim_error_set(e, "pidfd_open", NULL, errno, "the container is not running");
  cleanup_close int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) return shim_error_set(e, "open", "/dev/null", errno, NULL);
  int r[2];
  if (pipe2(r, O_CLOEXEC) < 0) return shim_error_set(e, "pipe2", NULL, errno, NULL);
  *result = r[0];
  cleanup_close int w = r[1];
  pid_t k = fork();
  if (k < 0) return shim_error_set(e, "fork", NULL, errno, NULL);
  if (k == 0) {
    close(r[0]);
    keeper(x, c, pidfd, devnull, w);
  }
  return 0;
}

int cmd_exec_detached(struct shim_ctx *x, struct config *c) {
  struct shim_error e = { 0 };
  cleanup_close int result = -1;
  if (start_keeper(x, c, &result, &e) < 0) return report_error(x, &e);
  int code;
  /* nothing: the keeper failed before starting the process (its error is on ERR_FD) */
  if (read_full(result, &code, sizeof code) != (int)sizeof code) return 127;
  return code;
}
