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

int exec_process(struct shim_ctx *x, struct config *c, struct shim_error *e) {
  const char *cwd = c->cwd && c->cwd[0] ? c->cwd : "/";
  if (chdir(cwd) < 0) return shim_error_set(e, "chdir", cwd, errno, "cannot enter the working directory");
  char here[4096];
  if (!getcwd(here, sizeof here) || here[0] != '/') return shim_error_set(e, "getcwd", cwd, EPERM, "the working directory is outside the container");
  if (set_rlimits(c, e) < 0) return -1;
  if (!c->nnp && load_seccomp(c, &x->seccomp, e) < 0) return -1;
  if (apply_identity_and_security(c, e) < 0) return -1;
  if (c->nnp && load_seccomp(c, &x->seccomp, e) < 0) return -1;
  if (syscall(SYS_close_range, 3, ~0U, 4) < 0)
    for (int fd = 3; fd < 4096; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
  extern char **environ;
  environ = (char **)c->env;
  execvp(c->args[0], (char **)c->args);
  return exec_failed(e, c->args[0], errno);
}

int exec_join(struct config *c, int pidfd, struct shim_error *e) {
  /* "0": this process (single-threaded), which on v1 (`tasks`) moves without the global lock */
  for (int i = 0; i < c->ncgroup_join; i++)
    if (write_file(c->cgroup_join[i], "0") < 0) return shim_error_set(e, "write", c->cgroup_join[i], errno, "cannot join the container cgroup");
  if (setns(pidfd, c->clone_flags) < 0) return shim_error_set(e, "setns", "pidfd", errno, "cannot enter the container namespaces");
  return 0;
}

/* The pty (tty) and the caller's terminal mode; released (raw mode undone) on every return. */
struct exec_tty {
  int master, slave, raw;
  struct termios saved;
};
static void exec_tty_release(struct exec_tty *t) {
  close_fd(&t->master);
  close_fd(&t->slave);
  if (t->raw) tcsetattr(0, TCSANOW, &t->saved);
  t->raw = 0;
}

/* The forked process's top-level function: the one place it ends on an error. */
static void exec_child(struct shim_ctx *x, struct config *c, int slave) __attribute__((noreturn));
static void exec_child(struct shim_ctx *x, struct config *c, int slave) {
  struct shim_error e = { 0 };
  if (slave >= 0 && (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)) shim_error_set(&e, "dup2", "pty", errno, NULL);
  else if (slave >= 0 && (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0)) shim_error_set(&e, "ioctl", "TIOCSCTTY", errno, NULL);
  else exec_process(x, c, &e);
  _exit(report_error(x, &e));
}

/* Joins the container and forks the process: its pid, or -1 with e. */
static pid_t exec_start(struct shim_ctx *x, struct config *c, struct exec_tty *t, struct shim_error *e) {
  if (c->tty && open_pty(&t->master, &t->slave, 1, 1, &t->saved, &t->raw, e) < 0) return -1;
  cleanup_close int pidfd = syscall(SYS_pidfd_open, c->pid, 0);
  if (pidfd < 0) return shim_error_set(e, "pidfd_open", NULL, errno, "the container is not running");
  if (exec_join(c, pidfd, e) < 0) return -1;
  pid_t child = fork();
  if (child < 0) return shim_error_set(e, "fork", NULL, errno, NULL);
  if (child == 0) exec_child(x, c, t->slave);
  return child;
}

int cmd_exec(struct shim_ctx *x, struct config *c) {
  if (c->detach) return cmd_exec_detached(x, c);
  __attribute__((cleanup(exec_tty_release))) struct exec_tty t = { -1, -1, 0, { 0 } };
  struct shim_error e = { 0 };
  pid_t child = exec_start(x, c, &t, &e);
  if (child < 0) return report_error(x, &e);
  int fwd[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
  for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++) signal(fwd[i], SIG_IGN);
  if (t.slave >= 0) {
    close_fd(&t.slave);
    pump(t.master, child);
    exec_tty_release(&t);
  }
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
  return exit_code(st);
}
