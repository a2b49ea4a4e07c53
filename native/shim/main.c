/* berth-shim: `create CONF` (clone + monitor, detached, reporting on fds 3/4), `run CONF`
 * (the same in the foreground: the CLI's process becomes the monitor, see monitor.c) or
 * `exec CONF` (join a running container). */
#include "shim.h"
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

int main(int argc, char **argv) {
  /* the process's state, passed down (static: the seccomp program is 25 KiB) */
  static struct shim_ctx x = { .notify_fd = -1, .sync = -1, .seccomp = { .len = -1 } };
  static struct config c;
  struct shim_error e = { 0 };
  int run = argc == 3 && !strcmp(argv[1], "run");
  if (argc == 3 && !strcmp(argv[1], "seccomp-bpf")) return config_load(argv[2], &c, &e) < 0 ? report_error(&x, &e) : cmd_seccomp_bpf(&x, &c);
  if (argc != 3 || (strcmp(argv[1], "create") && strcmp(argv[1], "exec") && !run)) {
    shim_error_set(&e, "usage", NULL, EINVAL, "usage: berth-shim create|run|exec|seccomp-bpf CONFIG");
    report_error(&x, &e);
    return 2;
  }
  if (run) foreground_init(&x);
  if (ensure_sealed_self(argv, &e) < 0) return report_error(&x, &e);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (config_load(argv[2], &c, &e) < 0) return report_error(&x, &e);
  x.id = c.id;
  return !strcmp(argv[1], "exec") ? cmd_exec(&x, &c) : cmd_create(&x, &c);
}
