/* `berth-shim create CONF`: clones the container, reports on the sync fd, then stays as its
 * monitor (conmon pattern): copies stdout/stderr to the log, forwards signals, records the exit.
 *
 * `berth-shim run CONF` (foreground: `berth container run` without -d execs into it, so the
 * CLI's own process becomes the monitor and no Node process waits beside it): the same, but
 * nobody listens on fds 3/4. The config has no exec fifo: the monitor writes state.json
 * itself and then lets the service start (a pipe), errors go to stderr as text, a
 * failed create removes everything the config lists (rm_dir/rm_cgroup), the container gets
 * its own session (the terminal's ^C reaches the monitor, which forwards it once), and the
 * exit code is the container's.
 *
 * Monitor <-> container init: one socket, numbered steps (sync.c).
 * Sync protocol (JSON lines on fd 3, shim -> TypeScript):
 *   {"type":"created","pid":N}   namespaces + rootfs ready; the child waits on the exec fifo
 *   {"type":"exit","exitCode":N,"signal":N,"oomKilled":B}
 * Errors: JSON lines on fd 4 (see util.c). The service runs once someone opens the fifo. */
#include "shim.h"
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* The container's init joins its cgroups itself, first thing (init_join_cgroups), from files the
 * monitor opened before the clone (a user-namespaced init could not open them): "0" to each, on
 * v1 each hierarchy's `tasks`, which moves this single thread without cgroup v1's global
 * threadgroup lock. A pid written to cgroup.procs takes that lock for writing, and the first
 * writer after a quiet spell waits a whole RCU grace period (6-14 ms on this 2-core VM; what
 * every `crun run` here waits). After clone3(CLONE_INTO_CGROUP) (v2) there is nothing to join. */
static int init_join_cgroups(struct shim_ctx *x, struct config *c, struct shim_error *e) {
  int r = 0;
  for (int i = 0; i < x->njoin_fds; i++) {
    if (r == 0 && c->ncgroup_join && write(x->join_fds[i], "0", 1) != 1)
      r = shim_error_set(e, "write", c->cgroup_join[i], errno, "cannot join the container cgroup");
    close(x->join_fds[i]);
  }
  x->njoin_fds = 0;
  return r;
}

/* Sync step 2, before the first cgroup-fs mount: the monitor's go for the cgroup namespace. */
static int cgroup_ready(struct shim_ctx *x, struct config *c, struct shim_error *e) {
  if (x->cgroup_done) return 0;
  x->cgroup_done = 1;
  if (sync_expect(x->sync, SYNC_CGROUP, NULL, 0) < 0)
    return shim_error_set(e, "sync", sync_step_name(SYNC_CGROUP), errno, "the monitor could not place the container in its cgroup");
  if ((c->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) return shim_error_set(e, "unshare", "cgroup", errno, NULL);
  return 0;
}

static int join_namespaces(struct config *c, struct shim_error *e) {
  static const struct {
    const char *name;
    int flag;
  } kinds[] = {
    { "net", CLONE_NEWNET }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP },
  };
  for (int i = 0; i < c->nns_join; i++) {
    const char *colon = strchr(c->ns_join[i], ':');
    if (!colon || !strncmp(c->ns_join[i], "pid:", 4)) continue; /* pid: joined by the monitor */
    int flag = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
      if (!strncmp(c->ns_join[i], kinds[k].name, colon - c->ns_join[i])) flag = kinds[k].flag;
    cleanup_close int fd = open(colon + 1, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return shim_error_set(e, "open", colon + 1, errno, "cannot open the namespace to join");
    if (setns(fd, flag) < 0) return shim_error_set(e, "setns", colon + 1, errno, NULL);
  }
  return 0;
}

/* The service under `init: true`: its top-level function, the one place it ends on an error. */
static void service_main(struct shim_ctx *x, struct config *c, char **envp, const sigset_t *blocked) __attribute__((noreturn));
static void service_main(struct shim_ctx *x, struct config *c, char **envp, const sigset_t *blocked) {
  struct shim_error e = { 0 };
  sigprocmask(SIG_UNBLOCK, blocked, NULL);
  setsid();
  extern char **environ;
  environ = envp;
  execvp(c->args[0], (char **)c->args);
  exec_failed(&e, c->args[0], errno);
  _exit(report_error(x, &e));
}

/* pid 1 for `init: true`: runs the service as its child, forwards signals, reaps zombies.
 * Returns the service's exit code once it has ended, or -1 with e. */
static int tiny_init(struct shim_ctx *x, struct config *c, char **envp, struct shim_error *e) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  pid_t svc = fork();
  if (svc < 0) return shim_error_set(e, "fork", NULL, errno, "init");
  if (svc == 0) service_main(x, c, envp, &all);
  /* pid 1 never execs: its close-on-exec fds (the error channel, the monitor's pipes, host
   * directories) would stay open for the container's life. It keeps only stdio. */
  if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
    for (int fd = 3; fd < 4096; fd++) close(fd);
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(&all, &si);
    if (sig == SIGCHLD) {
      int st;
      pid_t p;
      while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        if (p == svc) return exit_code(st);
      }
    } else if (sig > 0) {
      kill(-svc, sig) < 0 ? kill(svc, sig) : 0;
    }
  }
}

/* A new network namespace starts with `lo` down; Docker's containers have it up. */
static int loopback_up(struct shim_error *e) {
  cleanup_close int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return shim_error_set(e, "socket", "lo", errno, NULL);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return shim_error_set(e, "ioctl", "SIOCGIFFLAGS lo", errno, NULL);
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) return shim_error_set(e, "ioctl", "SIOCSIFFLAGS lo", errno, NULL);
  return 0;
}

/* The container's init from the clone to the exec gate: stdio, user namespace, namespaces
 * to join, hostname, rootfs, step 3, the gate. 0, or -1 with e. */
static int init_setup(struct shim_ctx *x, struct config *c, int out_w, int err_w, int fifo_fd, int stdin_fd, struct shim_error *e) {
  if (dup2(stdin_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) return shim_error_set(e, "dup2", NULL, errno, NULL);
  if (c->tty && (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0))
    return shim_error_set(e, "ioctl", "TIOCSCTTY", errno, "cannot make the pty the controlling terminal");
  if (!c->tty && x->foreground) setsid(); /* out of the terminal's process group, as a detached shim's */
  /* The container never outlives its monitor (no orphan without a log reader). */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (c->userns) {
    /* Wait for the id maps (and the cgroup): nothing below may run unmapped. */
    int layers[SYNC_MAX_FDS];
    int nlayers = sync_expect(x->sync, SYNC_IDMAPS, layers, SYNC_MAX_FDS);
    if (nlayers < 0) return shim_error_set(e, "sync", sync_step_name(SYNC_IDMAPS), errno, "the monitor could not write the id maps");
    if (cgroup_ready(x, c, e) < 0) return -1;
    /* become the namespace's root (the host root we were is not mapped in here) */
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) return shim_error_set(e, "setresuid", "userns root", errno, NULL);
    if (setgroups(0, NULL) < 0) return shim_error_set(e, "setgroups", "userns", errno, NULL);
    if (userns_child_setup(c, layers, nlayers, e) < 0) return -1;
  }
  if (join_namespaces(c, e) < 0) return -1;
  if ((c->clone_flags & CLONE_NEWNET) && loopback_up(e) < 0) return -1;
  if (c->hostname && c->hostname[0] && sethostname(c->hostname, strlen(c->hostname)) < 0) return shim_error_set(e, "sethostname", c->hostname, errno, NULL);
  if (c->domainname && c->domainname[0] && setdomainname(c->domainname, strlen(c->domainname)) < 0)
    return shim_error_set(e, "setdomainname", c->domainname, errno, NULL);
  if (setup_rootfs(x, c, cgroup_ready, e) < 0) return -1;
  if (check_executable(c, e) < 0) return -1; /* reported now, on the error channel (lookup.c) */
  /* Ready: tell the monitor, then wait at the gate until `start` opens the fifo. */
  if (sync_send(x->sync, SYNC_READY, NULL, 0) < 0) return shim_error_set(e, "sync", sync_step_name(SYNC_READY), errno, NULL);
  if (fifo_fd >= 0) {
    close_fd(&x->sync);
    char fp[64];
    snprintf(fp, sizeof fp, "/proc/self/fd/%d", fifo_fd);
    signal(SIGPIPE, SIG_IGN); /* the starter may close its end at once */
    cleanup_close int gate = open(fp, O_WRONLY | O_CLOEXEC);
    if (gate < 0) return shim_error_set(e, "open", "exec fifo", errno, NULL);
    (void)!write(gate, "0", 1);
    close(fifo_fd);
    signal(SIGPIPE, SIG_DFL);
    /* Held until the service's exec closes it (CLOEXEC): the starter reads the fifo to its
     * end, and a failure past the gate (working directory, identity, the exec itself) comes
     * first as report_error()'s JSON line: `up -d` and `start` report it, not just the log. */
    x->notify_fd = gate;
    gate = -1;
  } else {
    if (sync_expect(x->sync, SYNC_GO, NULL, 0) < 0) return shim_error_set(e, "sync", sync_step_name(SYNC_GO), errno, "the monitor went away before the start");
    close_fd(&x->sync);
  }
  return 0;
}

/* Past the gate: working directory, limits, identity, security, then the service (or pid 1
 * for `init: true`). Returns only on an error (-1 with e) or with init's exit code. */
static int init_start(struct shim_ctx *x, struct config *c, struct shim_error *e) {
  if (set_rlimits(c, e) < 0) return -1;
  const char *cwd = c->cwd && c->cwd[0] ? c->cwd : "/";
  if (chdir(cwd) < 0) {
    if (errno != ENOENT || mkdir(cwd, 0755) < 0 || chdir(cwd) < 0) return shim_error_set(e, "chdir", cwd, errno, "cannot enter the working directory");
  }
  char here[4096];
  if (!getcwd(here, sizeof here) || here[0] != '/') return shim_error_set(e, "getcwd", cwd, EPERM, "the working directory is outside the container");
  if (!c->nnp && load_seccomp(c, &x->seccomp, e) < 0) return -1;
  if (apply_identity_and_security(c, e) < 0) return -1;
  if (c->nnp && load_seccomp(c, &x->seccomp, e) < 0) return -1;
  if (syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) < 0) {
    for (int fd = 3; fd < 4096; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  if (c->init) return tiny_init(x, c, (char **)c->env, e);
  extern char **environ;
  environ = (char **)c->env;
  execvp(c->args[0], (char **)c->args);
  return exec_failed(e, c->args[0], errno);
}

/* The cloned child's top-level function: the one place the container's init ends (on an
 * error, after reporting it; or with the service's code as `init: true`'s pid 1). */
static void container_main(struct shim_ctx *x, struct config *c, int out_w, int err_w, int fifo_fd, int stdin_fd) __attribute__((noreturn));
static void container_main(struct shim_ctx *x, struct config *c, int out_w, int err_w, int fifo_fd, int stdin_fd) {
  struct shim_error e = { 0 };
  int code = init_join_cgroups(x, c, &e) < 0 ? -1 : init_setup(x, c, out_w, err_w, fifo_fd, stdin_fd, &e);
  if (code == 0) {
    x->after_gate = 1;
    code = init_start(x, c, &e);
  }
  if (code >= 0) _exit(code);
  code = report_error(x, &e);
  /* before the gate only an executable that cannot start keeps its 126/127 (the monitor of `run` passes it on) */
  _exit(x->after_gate || (e.syscall && !strcmp(e.syscall, "execve")) ? code : 1);
}

/* The cgroup TypeScript planned (`run`, v1): parents and leaves, then limits and devices.
 * A parent removed by another container's cleanup between the two mkdirs is made again. */
static int make_cgroup(struct config *c, struct shim_error *e) {
  for (int i = 0; i < c->ncg_mkdirs; i++) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", c->cg_mkdirs[i]);
    char *leaf = strchr(buf, '\x1f');
    if (!leaf) return shim_error_set(e, "config", c->cg_mkdirs[i], EINVAL, "cg_mkdir needs PARENT\x1fLEAF");
    *leaf++ = 0;
    for (int attempt = 0;; attempt++) {
      if (mkdir(buf, 0755) < 0 && errno != EEXIST) return shim_error_set(e, "mkdir", buf, errno, "cannot create the cgroup");
      if (mkdir(leaf, 0755) == 0 || errno == EEXIST) break;
      if (errno != ENOENT || attempt >= 5) return shim_error_set(e, "mkdir", leaf, errno, "cannot create the cgroup");
    }
  }
  for (int i = 0; i < c->ncg_writes; i++) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", c->cg_writes[i]);
    char *value = strchr(buf, '\x1f');
    char *optional = value ? strchr(value + 1, '\x1f') : NULL;
    if (!value || !optional) return shim_error_set(e, "config", c->cg_writes[i], EINVAL, "cg_write needs FILE\x1fVALUE\x1fOPTIONAL");
    *value++ = 0;
    *optional++ = 0;
    if (write_file(buf, value) < 0 && !(errno == ENOENT && optional[0] == '1')) return shim_error_set(e, "write", buf, errno, value);
  }
  return 0;
}

static pid_t clone_container(struct config *c) {
  int flags = c->clone_flags & ~CLONE_NEWCGROUP;
  if (c->userns) flags |= CLONE_NEWUSER;
  if (c->cgroup_v2_dir && c->cgroup_v2_dir[0]) {
    int cg = open(c->cgroup_v2_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cg >= 0) {
      struct clone_args args;
      memset(&args, 0, sizeof args);
      args.flags = (uint64_t)flags | CLONE_INTO_CGROUP;
      args.exit_signal = SIGCHLD;
      args.cgroup = cg;
      long pid = syscall(SYS_clone3, &args, sizeof args);
      if (pid >= 0) {
        c->ncgroup_join = 0; /* already placed, in both processes */
        if (pid > 0) close(cg);
        return pid;
      }
      close(cg);
    }
  }
  return syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* Everything the monitor holds; released by the cleanup attribute on every return. */
struct monitor {
  int sfd, out[2], err[2], sync[2], fifo_fd, stdin_fd, master, slave, raw, rootfd;
  struct termios saved;
  struct logger *log;
  pid_t pid;
  int failed_status; /* wait status of a child that failed before the gate */
};
#define MONITOR_INIT \
  { -1, { -1, -1 }, { -1, -1 }, { -1, -1 }, -1, -1, -1, -1, 0, -1, { 0 }, NULL, 0, 0 }

static void monitor_release(struct monitor *m) {
  int *fds[] = {
    &m->sfd, &m->out[0], &m->out[1], &m->err[0], &m->err[1], &m->sync[0], &m->sync[1], &m->fifo_fd, &m->stdin_fd, &m->master, &m->slave, &m->rootfd
  };
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) close_fd(fds[i]);
  if (m->raw) tcsetattr(0, TCSANOW, &m->saved);
  m->raw = 0;
  log_close(m->log);
  m->log = NULL;
}

/* Before the clone: signals, pipes, the sync socket, the exec fifo, the pty, the log, a pid
 * namespace to join, the cgroup and its device filter, the seccomp filter. */
static int prepare(struct shim_ctx *x, struct config *c, struct monitor *m, struct shim_error *e) {
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  int fwd[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };
  for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++) sigaddset(&mask, fwd[i]);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  if ((m->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) return shim_error_set(e, "signalfd", NULL, errno, NULL);
  if (pipe2(m->out, O_CLOEXEC) < 0 || pipe2(m->err, O_CLOEXEC) < 0) return shim_error_set(e, "pipe2", NULL, errno, NULL);
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, m->sync) < 0) return shim_error_set(e, "socketpair", "sync", errno, NULL);
  int fifo = c->fifo && c->fifo[0]; /* no fifo: the service starts as soon as it is ready (`run`) */
  if (fifo && mkfifo(c->fifo, 0600) < 0 && errno != EEXIST) return shim_error_set(e, "mkfifo", c->fifo, errno, NULL);
  unsigned host_uid = 0, host_gid = 0;
  int mapped = c->userns && host_root_ids(c, &host_uid, &host_gid);
  /* the gate is opened by the namespace's root */
  if (fifo && mapped && chown(c->fifo, host_uid, host_gid) < 0) return shim_error_set(e, "chown", c->fifo, errno, NULL);
  if (fifo && (m->fifo_fd = open(c->fifo, O_PATH | O_CLOEXEC)) < 0) return shim_error_set(e, "open", c->fifo, errno, NULL);
  if (!c->stdin_open && (m->stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) return shim_error_set(e, "open", "/dev/null", errno, NULL);
  /* tty: one pty for stdin/stdout/stderr; the monitor holds the master. */
  if (c->tty && open_pty(&m->master, &m->slave, c->attach, c->stdin_open, &m->saved, &m->raw, e) < 0) return -1;
  /* the container's root owns its terminal (and /dev/console) */
  if (m->slave >= 0 && mapped && fchown(m->slave, host_uid, host_gid) < 0) return shim_error_set(e, "fchown", "pty", errno, NULL);
  if (c->log && c->log[0] && !(m->log = log_open(c->log, c->log_max, c->log_keep, e))) return -1;
  /* Joining another container's pid namespace applies to our children: do it before clone. */
  for (int i = 0; i < c->nns_join; i++) {
    if (strncmp(c->ns_join[i], "pid:", 4)) continue;
    int fd = open(c->ns_join[i] + 4, O_RDONLY | O_CLOEXEC);
    int ok = fd >= 0 && setns(fd, CLONE_NEWPID) == 0;
    int saved = errno;
    if (fd >= 0) close(fd);
    if (!ok) return shim_error_set(e, "setns", c->ns_join[i] + 4, saved, "cannot join the pid namespace");
  }
  if (make_cgroup(c, e) < 0 || attach_device_filter(c, e) < 0) return -1;
  for (int i = 0; i < c->ncgroup_join; i++) {
    if ((x->join_fds[i] = open(c->cgroup_join[i], O_WRONLY | O_CLOEXEC)) < 0)
      return shim_error_set(e, "open", c->cgroup_join[i], errno, "cannot open the container cgroup");
    x->njoin_fds = i + 1;
  }
  if (c->seccomp && compile_seccomp(c, &x->seccomp, e) < 0) return -1; /* here, not in the child's init path */
  return 0;
}

/* The clone, the id maps, the cgroup placement, then the wait for the child's step 3. A
 * child that failed reported its error itself: then e stays empty. */
static int start_child(struct shim_ctx *x, struct config *c, struct monitor *m, struct shim_error *e) {
  m->pid = clone_container(c);
  if (m->pid < 0) return shim_error_set(e, "clone", NULL, errno, "cannot create the container namespaces");
  if (m->pid == 0) {
    x->in_container = 1;
    x->sync = m->sync[1];
    close(m->sync[0]);
    if (c->tty) container_main(x, c, m->slave, m->slave, m->fifo_fd, m->slave);
    container_main(x, c, m->out[1], m->err[1], m->fifo_fd, m->stdin_fd >= 0 ? m->stdin_fd : 0);
  }
  close_fd(&m->slave);
  close_fd(&m->sync[1]);
  int r = 0;
  if (c->userns) r = userns_monitor_setup(c, m->pid, m->sync[0], e);
  for (int i = 0; i < x->njoin_fds; i++) close(x->join_fds[i]); /* the child joins (init_join_cgroups) */
  x->njoin_fds = 0;
  if (r == 0) sync_send(m->sync[0], SYNC_CGROUP, NULL, 0); /* a child gone already shows at step 3 */
  /* The monitor's own place, while the child mounts: after the clone (the container keeps its
   * own cgroups), before any output is read. */
  if (r == 0) r = shim_group_join(c, e);
  close_fd(&m->out[1]);
  close_fd(&m->err[1]);
  close_fd(&m->fifo_fd);
  close_fd(&m->stdin_fd);
  if (r < 0) kill(m->pid, SIGKILL);
  if (r < 0 || sync_expect(m->sync[0], SYNC_READY, NULL, 0) < 0) {
    waitpid(m->pid, &m->failed_status, 0);
    return -1;
  }
  return 0;
}

int cmd_create(struct shim_ctx *x, struct config *c) {
  __attribute__((cleanup(monitor_release))) struct monitor mon = MONITOR_INIT;
  struct monitor *m = &mon;
  struct shim_error e = { 0 };
  if (prepare(x, c, m, &e) < 0 || start_child(x, c, m, &e) < 0) {
    if (e.syscall) report_error(x, &e); /* else the child reported */
    if (c->fifo && c->fifo[0]) unlink(c->fifo);
    /* `run`: remove what TypeScript prepared (the config's rm_dir/rm_cgroup lists) */
    if (x->foreground || (m->pid > 0 && c->autoremove)) auto_remove(c);
    /* `run`: a service that cannot be found exits 127, one that cannot run 126, as docker's
     * (the child said so) */
    int child = WIFEXITED(m->failed_status) ? WEXITSTATUS(m->failed_status) : 0;
    return x->foreground && (child == 126 || child == 127) ? child : 1;
  }
  /* Hold the container's root mount. When its last process exits, the container's mount
   * namespace goes, and the final unmount of an overlay rootfs syncs the upper filesystem
   * (writeback and a disk cache flush: 3-30 ms, serialised across containers stopping
   * together). Held here, the rootfs is released when this fd closes, after the exit is
   * recorded: a stop (and the next dependency level of a `down`) need not wait for it. */
  char rootpath[64];
  snprintf(rootpath, sizeof rootpath, "/proc/%d/root", m->pid);
  m->rootfd = open(rootpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (x->foreground) {
    write_state(c, m->pid); /* before the service runs, as TypeScript's start does */
  } else {
    char msg[128];
    int n = snprintf(msg, sizeof msg, "{\"type\":\"created\",\"pid\":%d}\n", m->pid);
    write_all(SYNC_FD, msg, n);
  }
  if (!(c->fifo && c->fifo[0])) sync_send(m->sync[0], SYNC_GO, NULL, 0);
  close_fd(&m->sync[0]);

  struct pollfd pf[4] = { { m->out[0], POLLIN, 0 }, { m->err[0], POLLIN, 0 }, { m->sfd, POLLIN, 0 }, { -1, POLLIN, 0 } };
  int open_streams = 2, status = 0, exited = 0;
  if (c->tty) {
    close_fd(&m->out[0]);
    close_fd(&m->err[0]);
    pf[0].fd = m->master;
    pf[1].fd = -1;
    open_streams = 1;
    if (c->stdin_open) pf[3].fd = 0;
  }
  static char buf[65536];
  while (!exited || open_streams > 0) {
    if (poll(pf, 4, exited ? 100 : -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (exited && !(pf[0].revents | pf[1].revents)) break; /* grandchildren keep the pipe: stop at quiet */
    for (int s = 0; s < 2; s++) {
      if (!pf[s].revents) continue;
      ssize_t k = read(pf[s].fd, buf, sizeof buf);
      if (k > 0) {
        if (m->log) log_write(m->log, s + 1, buf, k, 0);
        if (c->attach) write_all(s + 1, buf, k);
      } else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
        pf[s].fd = -1;
        open_streams--;
      }
    }
    if (pf[2].revents) {
      struct signalfd_siginfo si;
      while (read(m->sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          int st;
          pid_t p;
          while ((p = waitpid(-1, &st, WNOHANG)) > 0)
            if (p == m->pid) {
              status = st;
              exited = 1;
            }
        } else if (si.ssi_signo == SIGWINCH && m->master >= 0) {
          struct winsize ws;
          if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0) ioctl(m->master, TIOCSWINSZ, &ws);
        } else if (!exited) {
          kill(m->pid, si.ssi_signo);
        }
      }
      if (exited) pf[2].fd = -1;
    }
    if (pf[3].fd >= 0 && pf[3].revents) {
      ssize_t k = read(0, buf, sizeof buf);
      if (k > 0) write_all(m->master, buf, k);
      else pf[3].fd = -1;
    }
  }
  if (m->raw) tcsetattr(0, TCSANOW, &m->saved);
  m->raw = 0;
  if (m->log) {
    log_write(m->log, 1, "", 0, 1);
    log_write(m->log, 2, "", 0, 1);
  }
  if (c->fifo && c->fifo[0]) unlink(c->fifo);
  int code = record_exit(x, c, status);
  close_fd(&m->rootfd); /* the rootfs's unmount (and sync) happen here */
  if (c->autoremove) {
    auto_remove(c);
    shim_group_leave(c); /* nobody deletes this container after us: the last shim out removes the group */
  }
  return x->foreground ? code : 0;
}
