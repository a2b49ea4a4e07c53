/* berth-shim: the only code of berth that enters namespaces. See README.md. */
#ifndef BERTH_SHIM_H
#define BERTH_SHIM_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/filter.h>

#ifndef __GLIBC__
const char *strerrorname_np(int err); /* errname.c: musl has none */
#endif

#define MAX_LIST 512
#define MAX_SCRULES 128 /* seccomp rules with argument conditions */
#define MAX_ALLOW 640   /* seccomp: allowed syscall names */

/* One mount: fields of a `mount=` record, separated by \x1f. */
struct mnt {
  const char *type, *source, *target, *data;
  unsigned long flags;       /* mount(2) flags for the first mount */
  unsigned long remount;     /* when non-zero: MS_REMOUNT|MS_BIND|remount after a bind */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE(|MS_REC) or 0 */
  int mkdir;                 /* 1: target is a directory to create, 2: a file to create */
};

struct dev {
  const char *path;
  mode_t mode;
  dev_t rdev;
  uid_t uid;
  gid_t gid;
};
struct rlim {
  int resource;
  uint64_t soft, hard;
};
struct scrule {
  const char *name;
  int kind;
  int arg;
  uint64_t mask;
  uint64_t value;
  int err;
};

/* The finished config TypeScript hands over. Strings point into the config buffer. Kept as
 * a table (each list beside its count): */
/* clang-format off */
struct config {
  const char *id, *rootfs, *overlay_opts, *fifo, *exitfile, *log, *hostname, *domainname, *cwd;
  const char *cgroup_v2_dir; /* for clone3(CLONE_INTO_CGROUP) */
  const char *oom_file, *oom_key;
  const char *statefile;     /* foreground (`run`): the monitor records the state itself */
  int readonly, rootfs_nodev, init, tty, stdin_open, nnp, seccomp, attach, pid, autoremove;
  int detach;       /* exec: return once the process runs (exec_detached.c) */
  int clone_flags;  /* CLONE_NEW* to create */
  uint64_t caps;
  uint64_t log_max;
  int log_keep;     /* rotated files kept beside the log (<log>.1 ..) */
  int oom_score_adj, oom_score_adj_set;
  uid_t uid; gid_t gid; gid_t groups[64]; int ngroups;
  const char *args[MAX_LIST]; int nargs;
  const char *env[MAX_LIST]; int nenv;
  const char *ns_join[8]; int nns_join;           /* "net:/proc/1/ns/net" */
  const char *cgroup_join[32]; int ncgroup_join; /* v1: each hierarchy's tasks; v2: cgroup.procs (the joining process writes "0") */
  struct mnt mounts[128]; int nmounts;
  struct dev devs[32]; int ndevs;
  const char *symlinks[32]; int nsymlinks;          /* "target\x1fpath" */
  const char *masked[64]; int nmasked;
  const char *ropaths[64]; int nropaths;
  const char *sysctls[64]; int nsysctls;            /* "net/ipv4/ip_forward=1" */
  struct rlim rlimits[16]; int nrlimits;
  struct scrule scrules[MAX_SCRULES]; int nscrules;
  const char *sc_allow[MAX_ALLOW]; int nsc_allow;     /* seccomp: syscalls allowed outright */
  const char *devcg_v2;                             /* cgroup v2 dir for the eBPF device filter */
  const char *devrules[64]; int ndevrules;
  int userns;                                       /* clone with CLONE_NEWUSER */
  const char *uid_map, *gid_map;
  const char *idmaps[32]; int nidmaps;              /* "layer\x1fmountpoint" */
  const char *cg_mkdirs[32]; int ncg_mkdirs;        /* "parent\x1fleaf": the cgroup, made here (`run`, v1) */
  const char *cg_writes[64]; int ncg_writes;        /* "file\x1fvalue\x1foptional", after the mkdirs */
  const char *rm_dirs[8]; int nrm_dirs;             /* the container's trees (removed on autoremove, */
  const char *rm_cgroups[32]; int nrm_cgroups;      /* or by `run` when the create fails) */
  struct { const char *parent, *dir, *join, *leave; } shim_cg; /* the shims' shared group (shim_group.c); dir NULL: none */
};
/* clang-format on */

/* conf.c */
struct shim_error;
/* 0, or -1 with e. */
int config_load(const char *path, struct config *c, struct shim_error *e);

/* util.c: structured errors go to fd ERR_FD as one JSON line. */
#define SYNC_FD 3
#define ERR_FD 4

/* An error with its context, returned up to the process's top-level function (crun's
 * libcrun_error_t) instead of exiting where it happened; that function reports it once
 * (report_error) and releases what it holds through cleanup attributes. */
struct shim_error {
  const char *syscall;    /* NULL: no error recorded (e.g. the child reported its own) */
  const char *path, *msg; /* point into the buffers below, or NULL */
  int err;
  char pathbuf[512], msgbuf[256];
};
/* Records the error (copying path and msg) and returns -1. */
int shim_error_set(struct shim_error *e, const char *syscall, const char *path, int err, const char *msg);

/* cleanup_close / cleanup_free: fds and malloc'd memory released when their variable goes
 * out of scope (shared with berth-unpack). */
#include "../common/cleanup.h"

/* seccomp (security.c): the filter, compiled once per process (before the clone). Bound in
 * test/runtime/seccomp-filter.test.ts: 6 header + 5 per rule + 4 per allowed range + 3. */
#define FILTER_CAP (6 + 5 * MAX_SCRULES + 4 * MAX_ALLOW + 3)
struct seccomp_prog {
  struct sock_filter insns[FILTER_CAP];
  int len; /* -1: not compiled yet */
};

/* The process's own state, made in main() and passed down: how it reports an error, the
 * container init's end of the sync socket, what it compiled once. The shim keeps no
 * file-level mutable state. */
struct shim_ctx {
  /* `run`: no TypeScript listens. fds above 2 closed, signals reset, errors as text on a
   * CLOEXEC copy of stderr at ERR_FD, no sync messages. */
  int foreground;
  int in_container; /* the cloned child (the container's init) */
  int after_gate;   /* the init is past the exec gate: nobody may listen on ERR_FD any more */
  int notify_fd;    /* >= 0: report_error() writes the error's JSON line there first (the gate, exec_detached.c) */
  const char *id;   /* the container, for text reports */
  int sync;         /* the container init's end of the sync socket; -1 elsewhere */
  int cgroup_done;  /* the init has had sync step 2 (monitor.c cgroup_ready) */
  int join_fds[32]; /* the container's cgroup_join files, opened by the monitor before the clone */
  int njoin_fds;    /* (0 once the container was placed by clone3) */
  struct seccomp_prog seccomp;
};

void foreground_init(struct shim_ctx *x);
/* Reports e once (a JSON line on ERR_FD, or text in the foreground; past the gate on
 * stderr too) and returns the exit code for it. The only place an error is reported. */
int report_error(const struct shim_ctx *x, const struct shim_error *e);
struct termios;
/* 0, or -1 with e; *raw: stdin was put in raw mode (restore it from *saved). */
int open_pty(int *master, int *slave, int size_from_stdout, int raw_stdin, struct termios *saved, int *raw, struct shim_error *e);
void json_str(char *out, size_t cap, const char *s);
int write_all(int fd, const void *buf, size_t n);
/* A wait status as a shell exit code: the code, or 128 + the signal. */
int exit_code(int status);
/* The host ids the container's root maps to (its uid_map/gid_map first lines); 0 without a map. */
int host_root_ids(struct config *c, unsigned *uid, unsigned *gid);
int write_file(const char *path, const char *data);
int rm_tree(const char *path);
/* Returns only when already sealed (0) or on an error (-1 with e). */
int ensure_sealed_self(char **argv, struct shim_error *e);

/* rootfs.c: runs inside the new mount namespace. */
/* Called once, before the first cgroup-fs mount (or after the last mount): waits until the
 * monitor has placed the child in its cgroups, then enters a new cgroup namespace. */
typedef int (*cgroup_ready_fn)(struct shim_ctx *x, struct config *c, struct shim_error *e);
/* 0, or -1 with e. */
int setup_rootfs(struct shim_ctx *x, struct config *c, cgroup_ready_fn ready, struct shim_error *e);

/* security.c */
/* Each 0, or -1 with e. */
int apply_identity_and_security(struct config *c, struct shim_error *e);
int compile_seccomp(struct config *c, struct seccomp_prog *p, struct shim_error *e); /* once, before the clone: the length, or -1 */
int load_seccomp(struct config *c, struct seccomp_prog *p, struct shim_error *e);
int cmd_seccomp_bpf(struct shim_ctx *x, struct config *c);
int set_rlimits(struct config *c, struct shim_error *e);

/* devices_bpf.c */
int attach_device_filter(struct config *c, struct shim_error *e);

/* sync.c: the monitor <-> init socket, numbered steps (see sync.c). */
enum sync_step { SYNC_IDMAPS = 1, SYNC_CGROUP = 2, SYNC_READY = 3, SYNC_GO = 4 };
#define SYNC_MAX_FDS 32
const char *sync_step_name(enum sync_step step);
/* 0, or -1 with errno. */
int sync_send(int sock, enum sync_step step, const int *fds, int nfds);
/* The number of fds received (into fds), or -1 with errno: EPIPE when the peer closed its
 * end (it reported its error itself), EPROTO for another step or a message out of shape. */
int sync_expect(int sock, enum sync_step step, int *fds, int maxfds);

/* userns.c */
/* Writes the id maps, then sends step SYNC_IDMAPS with the idmapped layers. */
int userns_monitor_setup(struct config *c, pid_t pid, int sock, struct shim_error *e);
/* Attaches the idmapped layers received with step SYNC_IDMAPS. */
int userns_child_setup(struct config *c, const int *fds, int nfds, struct shim_error *e);

/* monitor.c */
int cmd_create(struct shim_ctx *x, struct config *c);
/* record.c */
void write_state(struct config *c, pid_t pid);
int record_exit(const struct shim_ctx *x, struct config *c, int status);
void auto_remove(struct config *c);
/* shim_group.c: the cgroup every container's monitor shares (TypeScript plans it: cgroups/types.ts
 * ShimGroup). Joins it: 0 (also without one planned), or -1 with e. */
int shim_group_join(struct config *c, struct shim_error *e);
/* Leaves it for the hierarchy's root and removes it (and berth's parent) when empty: best effort. */
void shim_group_leave(struct config *c);
/* exec.c */
int cmd_exec(struct shim_ctx *x, struct config *c);
/* In the container already: working directory, limits, identity, security, then the exec.
 * Returns only on an error (-1 with e). */
int exec_process(struct shim_ctx *x, struct config *c, struct shim_error *e);
int check_executable(const struct config *c, struct shim_error *e);
/* The service's execvp(name) failed with err: the error in lookup.c's words. Returns -1. */
int exec_failed(struct shim_error *e, const char *name, int err);
/* Joins the container's cgroups, then its namespaces through its pidfd: 0, or -1 with e. */
int exec_join(struct config *c, int pidfd, struct shim_error *e);
/* exec_detached.c */
int cmd_exec_detached(struct shim_ctx *x, struct config *c);
/* log.c */
struct logger;
struct logger *log_open(const char *path, uint64_t max, int keep, struct shim_error *e); /* NULL with e on error */
void log_close(struct logger *l);                                                        /* NULL: nothing */
void log_write(struct logger *l, int stream, const char *buf, size_t n, int flush);
#endif
