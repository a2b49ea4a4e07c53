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

int cmd_exec(struct config *c) {
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
  int fwd[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
  for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++) signal(fwd[i], SIG_IGN);
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
