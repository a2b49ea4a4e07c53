/* `berth-shim exec CONF`: a new process in a running container: joins its cgroups (host
 * paths, before entering the mount namespace), then all its namespaces at once through a
 * pidfd, forks so the child is inside the pid namespace, applies the same identity and
 * security, and execs. Exits with the process's code (128+signal when killed). */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <sys/ioctl.h>

/* tty: copy our stdin -> master and master -> our stdout until the process is gone. */
static void pump(int master, pid_t child) {
  struct pollfd pf[2] = { { 0, POLLIN, 0 }, { master, POLLIN, 0 } };
  char buf[65536];
  for (;;) {
    if (poll(pf, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pf[0].revents) {
      ssize_t k = read(0, buf, sizeof buf);
      if (k > 0) write_all(master, buf, k);
      else pf[0].fd = -1;
    }
    if (pf[1].revents) {
      ssize_t k = read(master, buf, sizeof buf);
      if (k > 0) write_all(1, buf, k);
      else break; /* EIO: the last holder of the slave is gone */
    }
  }
  (void)child;
}

/* In the container's namespaces and cgroup already: working directory, limits, identity,
 * security, then the exec. Shared by the attached and the detached exec. */
void exec_process(struct config *c) {
  const char *cwd = c->cwd && c->cwd[0] ? c->cwd : "/";
  if (chdir(cwd) < 0) fail("chdir", cwd, errno, "cannot enter the working directory");
  char here[4096];
  if (!getcwd(here, sizeof here) || here[0] != '/') fail("getcwd", cwd, EPERM, "the working directory is outside the container");
  set_rlimits(c);
  if (!c->nnp) load_seccomp(c);
  apply_identity_and_security(c);
  if (c->nnp) load_seccomp(c);
  if (syscall(SYS_close_range, 3, ~0U, 4) < 0)
    for (int fd = 3; fd < 4096; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
  extern char **environ;
  environ = (char **)c->env;
  execvp(c->args[0], (char **)c->args);
  fail("execve", c->args[0], errno, errno == ENOENT ? "executable file not found in $PATH" : NULL);
}

int cmd_exec(struct config *c) {
  if (c->detach) return cmd_exec_detached(c);
  int master = -1, slave = -1;
  struct termios saved;
  int raw = 0;
  struct shim_error e = { 0 };
  if (c->tty && open_pty(&master, &slave, 1, 1, &saved, &raw, &e) < 0) fail(e.syscall, e.path, e.err, e.msg);
  int pidfd = syscall(SYS_pidfd_open, c->pid, 0);
  if (pidfd < 0) fail("pidfd_open", NULL, errno, "the container is not running");
  char self[32];
  snprintf(self, sizeof self, "%d", getpid());
  for (int i = 0; i < c->ncgroup_procs; i++)
    if (write_file(c->cgroup_procs[i], self) < 0) fail("write", c->cgroup_procs[i], errno, "cannot join the container cgroup");
  if (setns(pidfd, c->clone_flags) < 0) fail("setns", "pidfd", errno, "cannot enter the container namespaces");
  close(pidfd);
  pid_t child = fork();
  if (child < 0) fail("fork", NULL, errno, NULL);
  if (child == 0) {
    if (slave >= 0) {
      if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) fail("dup2", "pty", errno, NULL);
      if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0) fail("ioctl", "TIOCSCTTY", errno, NULL);
    }
    exec_process(c);
  }
  int fwd[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
  for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++) signal(fwd[i], SIG_IGN);
  if (slave >= 0) {
    close(slave);
    pump(master, child);
    if (raw) tcsetattr(0, TCSANOW, &saved);
  }
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
  return exit_code(st);
}
