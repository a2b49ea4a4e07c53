/* berth-shim: `create CONF` (clone + monitor) or `exec CONF` (join a running container). */
#include "shim.h"
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "create") && strcmp(argv[1], "exec"))) {
    report("usage", NULL, EINVAL, "usage: berth-shim create|exec CONFIG");
    return 2;
  }
  ensure_sealed_self(argv);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  static struct config c;
  config_load(argv[2], &c);
  return !strcmp(argv[1], "create") ? cmd_create(&c) : cmd_exec(&c);
}
