/* berth-shim: `create CONF` (clone + monitor, detached, reporting on fds 3/4), `run CONF`
 * (the same in the foreground: the CLI's process becomes the monitor, see monitor.c) or
 * `exec CONF` (join a running container). */
#include "shim.h"
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

int main(int argc, char **argv) {
  int run = argc == 3 && !strcmp(argv[1], "run");
  if (argc == 3 && !strcmp(argv[1], "seccomp-bpf")) {
    static struct config c;
    config_load(argv[2], &c);
    return cmd_seccomp_bpf(&c);
  }
  if (argc != 3 || (strcmp(argv[1], "create") && strcmp(argv[1], "exec") && !run)) {
    report("usage", NULL, EINVAL, "usage: berth-shim create|run|exec|seccomp-bpf CONFIG");
    return 2;
  }
  if (run) foreground_init();
  ensure_sealed_self(argv);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  static struct config c;
  config_load(argv[2], &c);
  report_id = c.id;
  return !strcmp(argv[1], "exec") ? cmd_exec(&c) : cmd_create(&c);
}
