/* The monitor and the container's init talk over one SOCK_SEQPACKET socketpair in numbered
 * steps (crun's sync socket), each a message of its own, in this order:
 *   1 SYNC_IDMAPS  monitor -> init  (userns only) the id maps are written; the idmapped layer
 *                  mounts ride along as SCM_RIGHTS
 *   2 SYNC_CGROUP  monitor -> init  the clone's set-up is done (the init joined its cgroups
 *                  itself, first thing); it waits for this only before the first cgroup-fs mount
 *   3 SYNC_READY   init -> monitor  namespaces and rootfs are ready
 *   4 SYNC_GO      monitor -> init  (`run` only) state.json is written: start the service
 * The peer closing its end shows as end-of-file: the other side's error went to ERR_FD. */
#include "shim.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sync_msg {
  uint32_t step;
  uint32_t nfds;
};

const char *sync_step_name(enum sync_step step) {
  switch (step) {
    case SYNC_IDMAPS: return "1 (id maps)";
    case SYNC_CGROUP: return "2 (cgroup)";
    case SYNC_READY: return "3 (ready)";
    case SYNC_GO: return "4 (go)";
  }
  return "?";
}

int sync_send(int sock, enum sync_step step, const int *fds, int nfds) {
  struct sync_msg m = { (uint32_t)step, (uint32_t)nfds };
  struct iovec iov = { &m, sizeof m };
  char cbuf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)];
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  if (nfds < 0 || nfds > SYNC_MAX_FDS) {
    errno = E2BIG;
    return -1;
  }
  if (nfds > 0) {
    memset(cbuf, 0, sizeof cbuf);
    msg.msg_control = cbuf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
  }
  ssize_t n;
  do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof m ? 0 : -1;
}

int sync_expect(int sock, enum sync_step step, int *fds, int maxfds) {
  struct sync_msg m;
  struct iovec iov = { &m, sizeof m };
  char cbuf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)];
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n == 0) errno = EPIPE;
  if (n <= 0) return -1;
  if (n != (ssize_t)sizeof m || m.step != (uint32_t)step || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
    errno = EPROTO;
    return -1;
  }
  int got = 0;
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) got = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
  if (got != (int)m.nfds || got > maxfds) {
    if (got > 0) {
      int extra[SYNC_MAX_FDS];
      memcpy(extra, CMSG_DATA(cm), sizeof(int) * (size_t)got);
      for (int i = 0; i < got; i++) close(extra[i]);
    }
    errno = EPROTO;
    return -1;
  }
  if (got > 0) memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)got);
  return got;
}
