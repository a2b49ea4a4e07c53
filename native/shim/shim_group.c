/* The shims' shared cgroup (`berth/berth-shims`; v1: the cpu hierarchy). Each process outside a
 * group is its own CFS entity: ten monitors busy copying their containers' output would weigh
 * ten times the CLI drawing the dashboard. In one group they weigh as one. TypeScript plans the
 * paths (src/runtime/cgroups/types.ts ShimGroup) and removes the group once empty; the monitor
 * makes it and joins it itself, once its container is placed (so the container never inherits
 * it) and before it reads any output (no window in the root group): "0" to the group's join file
 * (v1 `tasks`: this single-threaded process, without cgroup v1's global lock and its RCU grace
 * period; v2 `cgroup.procs`). */
#include "shim.h"
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int shim_group_join(struct config *c, struct shim_error *e) {
  if (!c->shim_cg.dir || !c->shim_cg.dir[0]) return 0;
  /* ENOENT: a shim leaving or a `down` removed the group (or berth's parent) once it was empty
   * between our mkdir and the next step: make it again. */
  for (int attempt = 0;; attempt++) {
    if (mkdir(c->shim_cg.parent, 0755) < 0 && errno != EEXIST) return shim_error_set(e, "mkdir", c->shim_cg.parent, errno, "cannot create the shims' cgroup");
    if (mkdir(c->shim_cg.dir, 0755) < 0 && errno != EEXIST) {
      if (errno == ENOENT && attempt < 5) continue;
      return shim_error_set(e, "mkdir", c->shim_cg.dir, errno, "cannot create the shims' cgroup");
    }
    if (write_file(c->shim_cg.join, "0") == 0) return 0;
    if (errno != ENOENT || attempt >= 5) return shim_error_set(e, "write", c->shim_cg.join, errno, "cannot move the shim into the shims' cgroup");
  }
}

void shim_group_leave(struct config *c) {
  if (!c->shim_cg.dir || !c->shim_cg.dir[0]) return;
  if (write_file(c->shim_cg.leave, "0") < 0) return;
  /* EBUSY: other shims are still in it (the last one out removes it) */
  if (rmdir(c->shim_cg.dir) == 0 || errno == ENOENT) rmdir(c->shim_cg.parent);
}
