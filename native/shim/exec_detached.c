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


static void keeper(struct config *c, int pidfd, int devnull, int result) __attribute__((noreturn));
static void keeper(struct config *c, int pidfd, int devnull, int result) {
  setsid(); /* out of the caller's session: no terminal signal reaches the keeper or the process */
  if (setns(pidfd, CLONE_NEWPID) < 0) fail("setns", "pidfd", errno, "cannot enter the container's pid namespace");
  int started[2];
  if (pipe2(started, O_CLOEXEC) < 0) fail("pipe2", NULL, errno, NULL);
  pid_t child = fork();
  if (child < 0) fail("fork", NULL, errno, NULL);
  if (child == 0) {
    close(started[0]);
    close(result);
    fail_notify_fd = started[1]; /* a failure writes one byte; a successful exec closes it */
    char self[32];
    snprintf(self, sizeof self, "%d", getpid()); /* read in our own (the container's) pid namespace */
    for (int i = 0; i < c->ncgroup_procs; i++)
      if (write_file(c->cgroup_procs[i], self) < 0) fail("write", c->cgroup_procs[i], errno, "cannot join the container cgroup");
    if (setns(pidfd, c->clone_flags) < 0) fail("setns", "pidfd", errno, "cannot enter the container namespaces");
    close(pidfd);
    if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0) fail("dup2", "/dev/null", errno, NULL);
    exec_process(c);
  }
  close(started[1]);
  close(pidfd);
  signal(SIGHUP, SIG_IGN); /* after the fork: ignored signals would stay ignored across its exec */
  signal(SIGINT, SIG_IGN);
  char b;
  int code = 0, st;
  if (read_full(started[0], &b, 1) == 1) {
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
    code = exit_code(st);
    if (code == 0) code = 127;
    write_all(result, &code, sizeof code);
    _exit(0);
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
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
  _exit(0);
}

int cmd_exec_detached(struct config *c) {
  int pidfd = syscall(SYS_pidfd_open, c->pid, 0);
  if (pidfd < 0) fail("pidfd_open", NULL, errno, "the container is not running");
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) fail("open", "/dev/null", errno, NULL);
  int result[2];
  if (pipe2(result, O_CLOEXEC) < 0) fail("pipe2", NULL, errno, NULL);
  pid_t k = fork();
  if (k < 0) fail("fork", NULL, errno, NULL);
  if (k == 0) {
    close(result[0]);
    keeper(c, pidfd, devnull, result[1]);
  }
  close(result[1]);
  int code;
  /* nothing: the keeper failed before starting the process (its error is on ERR_FD) */
  if (read_full(result[0], &code, sizeof code) != (int)sizeof code) return 127;
  return code;
}
