/* User namespaces (`userns: auto`): the monitor writes the id maps and clones each image
 * layer as an idmapped mount (open_tree + mount_setattr(MOUNT_ATTR_IDMAP)), then hands the
 * detached mounts to the child with sync step 1 (sync.c); the child attaches them inside its own mount
 * namespace and uses them as overlay lowers. Nothing is copied or chowned per container. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/mount.h>
#include <sys/syscall.h>

static int write_map(pid_t pid, const char *file, const char *map, struct shim_error *e) {
  char path[64], text[256];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  snprintf(text, sizeof text, "%s\n", map);
  return write_file(path, text) < 0 ? shim_error_set(e, "write", path, errno, "cannot write the user namespace id map") : 0;
}

int userns_monitor_setup(struct config *c, pid_t pid, int sock, struct shim_error *e) {
  if (write_map(pid, "uid_map", c->uid_map, e) < 0 || write_map(pid, "gid_map", c->gid_map, e) < 0) return -1;
  int fds[SYNC_MAX_FDS];
  int n = 0, r = 0;
  if (c->nidmaps > 0) {
    char up[64];
    snprintf(up, sizeof up, "/proc/%d/ns/user", pid);
    __attribute__((cleanup(close_fd))) int userns = open(up, O_RDONLY | O_CLOEXEC);
    if (userns < 0) return shim_error_set(e, "open", up, errno, NULL);
    for (; r == 0 && n < c->nidmaps && n < SYNC_MAX_FDS; n++) {
      char src[4096];
      snprintf(src, sizeof src, "%s", c->idmaps[n]);
      char *sep = strchr(src, '\x1f');
      if (sep) *sep = 0;
      int t = syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
      if (t < 0) {
        r = shim_error_set(e, "open_tree", src, errno, "cannot clone an image layer for idmapping");
        break;
      }
      fds[n] = t;
      struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY, .userns_fd = (uint64_t)userns };
      if (syscall(SYS_mount_setattr, t, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
        r = shim_error_set(e, "mount_setattr", src, errno, "cannot idmap an image layer (filesystem without idmapped mount support?)");
    }
  }
  if (r == 0 && sync_send(sock, SYNC_IDMAPS, fds, n) < 0) r = shim_error_set(e, "sync", sync_step_name(SYNC_IDMAPS), errno, "cannot send the idmapped layers");
  for (int i = 0; i < n; i++) close(fds[i]);
  return r;
}

int userns_child_setup(struct config *c, const int *fds, int nfds, struct shim_error *e) {
  for (int i = 0; i < nfds && i < c->nidmaps; i++) {
    const char *mp = strchr(c->idmaps[i], '\x1f');
    if (!mp) return shim_error_set(e, "config", c->idmaps[i], EINVAL, "idmap needs SOURCE\\x1fMOUNTPOINT");
    if (syscall(SYS_move_mount, fds[i], "", AT_FDCWD, mp + 1, MOVE_MOUNT_F_EMPTY_PATH) < 0)
      return shim_error_set(e, "move_mount", mp + 1, errno, "cannot attach an idmapped image layer");
    close(fds[i]);
  }
  return 0;
}
