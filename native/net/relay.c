/*
 * berth-net: a tiny NETLINK_ROUTE relay for the TypeScript network module.
 *
 * Node has no AF_NETLINK sockets, and must never setns itself. This single-threaded
 * process opens netlink sockets on the host or inside a network namespace given by path
 * (setns in, socket(), setns back: the socket stays bound to that namespace), and shuttles
 * raw netlink messages between Node and the kernel. Encoding and decoding happen in
 * TypeScript. One relay serves a whole batch (an `up`), requests may be pipelined.
 *
 * Frames on stdin:  u32 len (payload bytes) | u32 op | u32 arg | payload
 * Frames on stdout: u32 len (payload bytes) | u32 status (0 or errno) | u32 value | payload
 *   op 1 OPEN   payload = netns path ("" = the relay's own namespace)
 *               -> value = handle; the handle's namespace fd is also returned in payload
 *                  as a decimal string (for IFLA_NET_NS_FD in later requests)
 *   op 2 CALL   arg = handle, payload = one netlink message (NLM_F_ACK or NLM_F_DUMP set)
 *               -> payload = every reply message up to and including NLMSG_ERROR/NLMSG_DONE
 *   op 3 CLOSE  arg = handle
 *   op 4 SYSCTL payload = "path\0value" written under /proc/sys/ (host namespace)
 *   op 5 EXEC   payload = absolute path\0arg1\0...\0\0stdin bytes: runs a helper tool (nft)
 *               in the relay's own namespace, without Node's fork of its whole heap
 *               -> value = a token; the relay goes on serving requests meanwhile, and when
 *                  the tool has ended an unsolicited frame follows with status
 *                  EXEC_DONE | exit code (EXEC_DONE | 0x100 | signal when killed),
 *                  value = the token, payload = u32 stdout length | stdout | stderr
 *   op 6 UNLINK arg = handle, payload = u32 length | one netlink message that deletes links |
 *               the names of the links it deletes, each NUL-terminated
 *               -> value = a token; the relay goes on serving requests meanwhile (the
 *                  firewall's nft runs beside a bridge's deletion), and an unsolicited frame
 *                  follows with status UNLINK_DONE | 0 once the kernel has announced the
 *                  deletion of every named link (RTM_DELLINK on RTNLGRP_LINK: unlisted,
 *                  name free, ports released) or the request's own ACK came first, or
 *                  UNLINK_DONE | errno when the request failed; value = the token.
 *               The request is sent by a forked child without stdio, on a socket of its
 *               own: an unregister ends with kernel work that needs no caller (a bridge's
 *               second rcu_barrier() and the free in netdev_run_todo, ~20 ms) and that
 *               finishes in the child after the frame, even after the relay has exited.
 * Replies to ops 1-6 come in request order; EXEC_DONE and UNLINK_DONE frames may come in
 * between.
 * EOF on stdin ends the relay (tools still running finish on their own).
 * Requests come only from the process that started the relay: stdin must be the socketpair
 * Node's spawn makes (its peer, by SO_PEERCRED, is the parent with the relay's euid) or an
 * anonymous pipe; a named FIFO, a file, a tty or another process's socket is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_HANDLES 256
#define OP_OPEN 1
#define OP_CALL 2
#define OP_CLOSE 3
#define OP_SYSCTL 4
#define OP_EXEC 5
#define OP_UNLINK 6
#define EXEC_DONE 0x80000000u
#define UNLINK_DONE 0x40000000u
#define MAX_EXECS 16

struct handle {
  int sock;
  int nsfd;
};

/* A running tool: its output is gathered until both pipes reach EOF, then it is reaped. */
struct exec {
  pid_t pid;
  uint32_t token;
  int fd[2]; /* stdout, stderr; -1 at EOF */
  unsigned char *buf[2];
  size_t len[2], cap[2];
};

/*
 * A deletion in progress (op 6): the forked child that sends it, the announcement socket
 * and the child's result pipe, polled by the main loop beside stdin and the tools.
 */
#define MAX_UNLINKS 16
#define MAX_UNLINK_NAMES 64
struct unlink {
  pid_t pid;       /* the child, until reaped (it may outlive the wait) */
  uint32_t token;  /* 0 = slot free for a new deletion */
  int mon, result; /* -1 once closed */
  char *names[MAX_UNLINK_NAMES];
  int seen[MAX_UNLINK_NAMES], count, pending;
};

/* The relay's state, made in main() and passed down (no file-level mutable state). */
struct relay {
  struct handle handles[MAX_HANDLES];
  struct exec execs[MAX_EXECS];
  struct unlink unlinks[MAX_UNLINKS];
  uint32_t next_token;
  int self_ns;
  unsigned char *outbuf; /* op_call's replies */
  size_t outcap;
  int fatal; /* non-zero: the relay cannot go on; main() returns it (1 stdout gone, 2 wrong namespace, 3 out of memory) */
};

static int read_full(int fd, void *buf, size_t n) {
  unsigned char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r == 0) return 0;
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  return 1;
}

static int write_full(int fd, const void *buf, size_t n) {
  const unsigned char *p = buf;
  while (n > 0) {
    ssize_t r = write(fd, p, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* A frame on stdout; when stdout is gone the relay ends (fatal 1). */
static void reply(struct relay *r, uint32_t status, uint32_t value, const void *payload, uint32_t len) {
  uint32_t hdr[3] = { len, status, value };
  if (r->fatal) return;
  if (write_full(1, hdr, sizeof hdr) < 0 || (len && write_full(1, payload, len) < 0)) r->fatal = 1;
}

/* Back to the relay's own namespace; when that fails the relay ends (fatal 2). */
static void return_to_own_ns(struct relay *r) {
  if (setns(r->self_ns, CLONE_NEWNET) == 0) return;
  perror("berth-net: cannot return to the original network namespace");
  r->fatal = 2;
}

static int open_socket_groups(uint32_t groups) {
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s < 0) return -1;
  int one = 1;
  setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  int size = 1 << 20;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int e = errno;
    close(s);
    errno = e;
    return -1;
  }
  return s;
}

static int open_socket(void) { return open_socket_groups(0); }

/* A socket bound in the namespace of handle h (the relay returns to its own namespace). */
static int socket_in(struct relay *r, uint32_t h, uint32_t groups) {
  if (setns(r->handles[h].nsfd, CLONE_NEWNET) < 0) return -1;
  int sock = open_socket_groups(groups);
  int e = errno;
  return_to_own_ns(r);
  if (r->fatal && sock >= 0) close(sock), sock = -1;
  errno = e;
  return sock;
}

static void op_open(struct relay *r, const char *path) {
  int slot = -1;
  for (int i = 1; i < MAX_HANDLES; i++)
    if (r->handles[i].sock < 0) {
      slot = i;
      break;
    }
  if (slot < 0) return reply(r, EMFILE, 0, NULL, 0);
  int nsfd = -1, sock;
  if (path[0]) {
    nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) return reply(r, (uint32_t)errno, 0, NULL, 0);
    if (setns(nsfd, CLONE_NEWNET) < 0) {
      int e = errno;
      close(nsfd);
      return reply(r, (uint32_t)e, 0, NULL, 0);
    }
    sock = open_socket();
    int e = errno;
    return_to_own_ns(r);
    if (r->fatal && sock >= 0) close(sock), sock = -1;
    if (sock < 0) {
      close(nsfd);
      return reply(r, (uint32_t)e, 0, NULL, 0);
    }
  } else {
    nsfd = fcntl(r->self_ns, F_DUPFD_CLOEXEC, 0);
    sock = open_socket();
    if (sock < 0) {
      int e = errno;
      close(nsfd);
      return reply(r, (uint32_t)e, 0, NULL, 0);
    }
  }
  r->handles[slot].sock = sock;
  r->handles[slot].nsfd = nsfd;
  char num[16];
  int n = snprintf(num, sizeof num, "%d", nsfd);
  reply(r, 0, (uint32_t)slot, num, (uint32_t)n);
}

static void op_call(struct relay *r, uint32_t h, unsigned char *msg, uint32_t len) {
  if (h == 0 || h >= MAX_HANDLES || r->handles[h].sock < 0) return reply(r, EBADF, 0, NULL, 0);
  if (len < sizeof(struct nlmsghdr)) return reply(r, EINVAL, 0, NULL, 0);
  int s = r->handles[h].sock;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(s, msg, len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return reply(r, (uint32_t)errno, 0, NULL, 0);
  uint32_t seq = ((struct nlmsghdr *)msg)->nlmsg_seq;
  size_t used = 0;
  for (;;) {
    if (r->outcap - used < 65536) {
      unsigned char *bigger = realloc(r->outbuf, r->outcap * 2 + 65536);
      if (!bigger) {
        r->fatal = 3;
        return;
      }
      r->outbuf = bigger;
      r->outcap = r->outcap * 2 + 65536;
    }
    ssize_t got = recv(s, r->outbuf + used, r->outcap - used, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return reply(r, (uint32_t)errno, 0, NULL, 0);
    }
    int done = 0;
    size_t off = used;
    size_t end = used + (size_t)got;
    while (off + sizeof(struct nlmsghdr) <= end) {
      struct nlmsghdr *nh = (struct nlmsghdr *)(r->outbuf + off);
      if (nh->nlmsg_len < sizeof *nh || off + nh->nlmsg_len > end) break;
      if (nh->nlmsg_seq == seq && (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_DONE)) done = 1;
      off += NLMSG_ALIGN(nh->nlmsg_len);
    }
    used = end;
    if (done) break;
  }
  reply(r, 0, 0, r->outbuf, (uint32_t)used);
}

/* Sends one request (with NLM_F_ACK) on s and waits for its ACK; returns its errno (0 = done). */
static uint32_t request_ack(int s, unsigned char *msg, uint32_t mlen) {
  struct nlmsghdr *req = (struct nlmsghdr *)msg;
  req->nlmsg_flags |= NLM_F_ACK;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto(s, msg, mlen, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return (uint32_t)errno;
  static unsigned char buf[65536];
  for (;;) {
    ssize_t r = recv(s, buf, sizeof buf, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return (uint32_t)errno;
    }
    struct nlmsghdr *nh = (struct nlmsghdr *)buf;
    if (r < (ssize_t)sizeof *nh || nh->nlmsg_seq != req->nlmsg_seq || nh->nlmsg_type != NLMSG_ERROR) continue;
    int err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
    return err < 0 ? (uint32_t)-err : 0;
  }
}

/* The child: sends the request on a socket of its own, writes the ACK's errno, exits. */
static void unlinker(struct relay *r, uint32_t h, unsigned char *msg, uint32_t mlen, int result) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
  }
  int s = socket_in(r, h, 0);
  uint32_t e = s < 0 ? (uint32_t)errno : request_ack(s, msg, mlen);
  write_full(result, &e, sizeof e);
  _exit(0);
}

/* Marks the links an RTM_DELLINK announcement names; returns how many were newly seen. */
static int mark_deleted(unsigned char *buf, size_t len, struct unlink *u) {
  int marked = 0;
  for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
    if (nh->nlmsg_type != RTM_DELLINK || nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) continue;
    struct ifinfomsg *ifi = NLMSG_DATA(nh);
    if (ifi->ifi_family != AF_UNSPEC) continue; /* AF_BRIDGE: a port left its bridge, not a deletion */
    int alen = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof *ifi));
    for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      if (a->rta_type != IFLA_IFNAME) continue;
      for (int i = 0; i < u->count; i++)
        if (!u->seen[i] && strnlen(RTA_DATA(a), RTA_PAYLOAD(a)) == strlen(u->names[i]) && !memcmp(u->names[i], RTA_DATA(a), strlen(u->names[i]))) {
          u->seen[i] = 1;
          marked++;
        }
    }
  }
  return marked;
}

/* Frees a deletion's slot (its child, if any, is reaped later). */
static void unlink_free(struct unlink *u) {
  if (u->mon >= 0) close(u->mon);
  if (u->result >= 0) close(u->result);
  for (int i = 0; i < u->count; i++) free(u->names[i]);
  u->mon = u->result = -1;
  u->count = 0;
  u->token = 0;
}

/* Sends the deletion's UNLINK_DONE frame and frees its slot. */
static void unlink_done(struct relay *r, struct unlink *u, uint32_t status) {
  reply(r, UNLINK_DONE | status, u->token, NULL, 0);
  unlink_free(u);
}

static void reap_unlinkers(struct relay *r) {
  for (int i = 0; i < MAX_UNLINKS; i++)
    if (r->unlinks[i].pid > 0 && waitpid(r->unlinks[i].pid, NULL, WNOHANG) != 0) r->unlinks[i].pid = 0;
}

/* The result pipe (the request's own answer) or the announcements became readable. */
static void unlink_event(struct relay *r, struct unlink *u, int which) {
  static unsigned char buf[65536];
  if (which == 0) {
    uint32_t ack = 0;
    return unlink_done(r, u, read_full(u->result, &ack, sizeof ack) == 1 ? ack : EIO);
  }
  ssize_t got = recv(u->mon, buf, sizeof buf, 0);
  if (got < 0 && errno != EINTR) {
    /* announcements overran the socket (ENOBUFS): the request's answer decides */
    close(u->mon);
    u->mon = -1;
  } else if (got > 0 && (u->pending -= mark_deleted(buf, (size_t)got, u)) == 0) {
    unlink_done(r, u, 0);
  }
}

/* No slot to spare (16 deletions in progress): this one is done here, to its ACK. */
static void unlink_here(struct relay *r, uint32_t h, unsigned char *msg, uint32_t mlen) {
  uint32_t e = request_ack(r->handles[h].sock, msg, mlen), token = r->next_token++;
  reply(r, 0, token, NULL, 0);
  reply(r, UNLINK_DONE | e, token, NULL, 0);
}

static void op_unlink(struct relay *r, uint32_t h, unsigned char *payload, uint32_t len) {
  if (h == 0 || h >= MAX_HANDLES || r->handles[h].sock < 0) return reply(r, EBADF, 0, NULL, 0);
  uint32_t mlen;
  if (len < 4) return reply(r, EINVAL, 0, NULL, 0);
  memcpy(&mlen, payload, 4);
  if (mlen < sizeof(struct nlmsghdr) || mlen > len - 4) return reply(r, EINVAL, 0, NULL, 0);
  reap_unlinkers(r);
  struct unlink *u = NULL;
  for (int i = 0; i < MAX_UNLINKS; i++)
    if (r->unlinks[i].token == 0 && r->unlinks[i].pid == 0) {
      u = &r->unlinks[i];
      break;
    }
  if (!u) return unlink_here(r, h, payload + 4, mlen);
  *u = (struct unlink){ .mon = -1, .result = -1 };
  for (uint32_t off = 4 + mlen; off < len && u->count < MAX_UNLINK_NAMES;) {
    size_t n = strnlen((char *)payload + off, len - off);
    u->names[u->count] = strndup((char *)payload + off, n);
    if (!u->names[u->count]) {
      unlink_free(u);
      r->fatal = 3;
      return;
    }
    u->count++;
    off += (uint32_t)n + 1;
  }
  u->pending = u->count;
  /* subscribed before the request is sent: no announcement can be missed */
  u->mon = socket_in(r, h, RTMGRP_LINK);
  int result[2];
  if (u->mon < 0 || pipe2(result, O_CLOEXEC) < 0) {
    int e = errno;
    unlink_free(u);
    return reply(r, (uint32_t)e, 0, NULL, 0);
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(u->mon);
    close(result[0]);
    unlinker(r, h, payload + 4, mlen, result[1]);
  }
  int e = errno;
  close(result[1]);
  if (pid < 0) {
    close(result[0]);
    unlink_free(u);
    return reply(r, (uint32_t)e, 0, NULL, 0);
  }
  u->pid = pid;
  u->result = result[0];
  u->token = r->next_token++;
  reply(r, 0, u->token, NULL, 0);
}

static void op_close(struct relay *r, uint32_t h) {
  if (h == 0 || h >= MAX_HANDLES || r->handles[h].sock < 0) return reply(r, 0, 0, NULL, 0);
  close(r->handles[h].sock);
  if (r->handles[h].nsfd >= 0) close(r->handles[h].nsfd);
  r->handles[h].sock = r->handles[h].nsfd = -1;
  reply(r, 0, 0, NULL, 0);
}

static void op_sysctl(struct relay *r, unsigned char *payload, uint32_t len) {
  char *key = (char *)payload;
  size_t klen = strnlen(key, len);
  if (klen == len || strstr(key, "..")) return reply(r, EINVAL, 0, NULL, 0);
  char *value = key + klen + 1;
  size_t vlen = len - klen - 1;
  char path[512];
  snprintf(path, sizeof path, "/proc/sys/%s", key);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return reply(r, (uint32_t)errno, 0, NULL, 0);
  int rc = write_full(fd, value, vlen);
  int e = errno;
  close(fd);
  reply(r, rc < 0 ? (uint32_t)e : 0, 0, NULL, 0);
}

static void op_exec(struct relay *r, unsigned char *payload, uint32_t len) {
  /* argv: NUL-terminated strings up to an empty one; the rest is the tool's stdin */
  char *argv[64];
  int argc = 0;
  uint32_t off = 0;
  while (off < len && payload[off] && argc < 63) {
    argv[argc++] = (char *)payload + off;
    off += (uint32_t)strnlen((char *)payload + off, len - off) + 1;
  }
  if (argc == 0 || off >= len || payload[off] || argv[0][0] != '/') return reply(r, EINVAL, 0, NULL, 0);
  argv[argc] = NULL;
  off++;
  struct exec *x = NULL;
  for (int i = 0; i < MAX_EXECS; i++)
    if (r->execs[i].pid == 0) {
      x = &r->execs[i];
      break;
    }
  if (!x) return reply(r, EAGAIN, 0, NULL, 0);
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) < 0) return reply(r, (uint32_t)errno, 0, NULL, 0);
  if (pipe2(out, O_CLOEXEC) < 0) {
    int e = errno;
    close(in[0]);
    close(in[1]);
    return reply(r, (uint32_t)e, 0, NULL, 0);
  }
  if (pipe2(err, O_CLOEXEC) < 0) {
    int e = errno;
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return reply(r, (uint32_t)e, 0, NULL, 0);
  }
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(in[0]), close(in[1]), close(out[0]), close(out[1]), close(err[0]), close(err[1]);
    return reply(r, (uint32_t)e, 0, NULL, 0);
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execv(argv[0], argv);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  /* tool scripts are small (a pipe holds 64 KiB) and nft reads all of stdin first */
  write_full(in[1], payload + off, len - off);
  close(in[1]);
  *x = (struct exec){ .pid = pid, .token = r->next_token++, .fd = { out[0], err[0] } };
  reply(r, 0, x->token, NULL, 0);
}

/* Reads what a tool wrote; at EOF on both pipes reaps it and sends its EXEC_DONE frame. */
static void exec_drain(struct relay *r, struct exec *x, int which) {
  if (x->cap[which] - x->len[which] < 4096) {
    unsigned char *bigger = realloc(x->buf[which], x->cap[which] * 2 + 4096);
    if (!bigger) {
      r->fatal = 3;
      return;
    }
    x->buf[which] = bigger;
    x->cap[which] = x->cap[which] * 2 + 4096;
  }
  ssize_t got = read(x->fd[which], x->buf[which] + x->len[which], x->cap[which] - x->len[which]);
  if (got < 0 && errno == EINTR) return;
  if (got > 0) {
    x->len[which] += (size_t)got;
    return;
  }
  close(x->fd[which]);
  x->fd[which] = -1;
  if (x->fd[0] >= 0 || x->fd[1] >= 0) return;
  int st = 0;
  while (waitpid(x->pid, &st, 0) < 0 && errno == EINTR) {}
  uint32_t status = EXEC_DONE | (WIFSIGNALED(st) ? 0x100u | (uint32_t)WTERMSIG(st) : (uint32_t)WEXITSTATUS(st));
  uint32_t olen = (uint32_t)x->len[0], elen = (uint32_t)x->len[1];
  unsigned char *frame = malloc(4 + (size_t)olen + elen);
  if (!frame) {
    r->fatal = 3;
    return;
  }
  memcpy(frame, &olen, 4);
  if (olen) memcpy(frame + 4, x->buf[0], olen);
  if (elen) memcpy(frame + 4 + olen, x->buf[1], elen);
  reply(r, status, x->token, frame, 4 + olen + elen);
  free(frame);
  free(x->buf[0]);
  free(x->buf[1]);
  *x = (struct exec){ 0 };
}

/* 0 when stdin is the parent's end (see the header): a socket whose peer is the parent with
 * our euid, or an anonymous pipe; -1 otherwise. */
static int check_sender(void) {
  struct stat st;
  if (fstat(0, &st) < 0) return -1;
  if (S_ISSOCK(st.st_mode)) {
    struct ucred cr;
    socklen_t len = sizeof cr;
    if (getsockopt(0, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) return -1;
    return cr.uid == geteuid() && cr.pid == getppid() ? 0 : -1;
  }
  if (S_ISFIFO(st.st_mode)) {
    char link[64];
    ssize_t n = readlink("/proc/self/fd/0", link, sizeof link - 1);
    if (n < 0) return -1;
    link[n] = 0;
    return strncmp(link, "pipe:", 5) == 0 ? 0 : -1;
  }
  return -1;
}

int main(void) {
  if (check_sender() < 0) {
    fputs("berth-net: refused: requests come only from the parent's pipe or socketpair\n", stderr);
    return 2;
  }
  struct relay state = { .next_token = 1, .self_ns = -1 };
  struct relay *r = &state;
  for (int i = 0; i < MAX_HANDLES; i++) r->handles[i].sock = r->handles[i].nsfd = -1;
  r->self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (r->self_ns < 0) {
    perror("berth-net: open /proc/self/ns/net");
    return 1;
  }
  unsigned char *in = NULL;
  size_t incap = 0;
  for (;;) {
    if (r->fatal) return r->fatal;
    reap_unlinkers(r);
    /* requests on stdin, the output of running tools, deletions in progress */
    struct pollfd pfd[1 + 2 * MAX_EXECS + 2 * MAX_UNLINKS];
    struct exec *owner[1 + 2 * MAX_EXECS + 2 * MAX_UNLINKS];
    struct unlink *uowner[1 + 2 * MAX_EXECS + 2 * MAX_UNLINKS];
    int which[1 + 2 * MAX_EXECS + 2 * MAX_UNLINKS];
    nfds_t n = 0;
    pfd[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
    for (int i = 0; i < MAX_EXECS; i++)
      for (int k = 0; k < 2; k++)
        if (r->execs[i].pid && r->execs[i].fd[k] >= 0) {
          owner[n] = &r->execs[i];
          uowner[n] = NULL;
          which[n] = k;
          pfd[n++] = (struct pollfd){ .fd = r->execs[i].fd[k], .events = POLLIN };
        }
    for (int i = 0; i < MAX_UNLINKS; i++)
      if (r->unlinks[i].token)
        for (int k = 0; k < 2; k++) {
          int fd = k == 0 ? r->unlinks[i].result : r->unlinks[i].mon;
          if (fd < 0) continue;
          owner[n] = NULL;
          uowner[n] = &r->unlinks[i];
          which[n] = k;
          pfd[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
        }
    if (n > 1) {
      if (poll(pfd, n, -1) < 0) {
        if (errno == EINTR) continue;
        return 1;
      }
      for (nfds_t i = 1; i < n; i++) {
        if (!pfd[i].revents) continue;
        if (owner[i]) exec_drain(r, owner[i], which[i]);
        /* a deletion finished by its other fd in this round has freed its slot */
        else if (uowner[i]->token && (which[i] == 0 ? uowner[i]->result : uowner[i]->mon) == pfd[i].fd) unlink_event(r, uowner[i], which[i]);
      }
      if (!pfd[0].revents) continue;
    }
    uint32_t hdr[3];
    int got = read_full(0, hdr, sizeof hdr);
    if (got <= 0) return got < 0 ? 1 : 0;
    uint32_t len = hdr[0];
    if (len > (64u << 20)) return 1;
    if (len + 1 > incap) {
      incap = len + 1;
      in = realloc(in, incap);
      if (!in) return 3;
    }
    if (len && read_full(0, in, len) <= 0) return 1;
    in[len] = 0;
    switch (hdr[1]) {
      case OP_OPEN: op_open(r, (char *)in); break;
      case OP_CALL: op_call(r, hdr[2], in, len); break;
      case OP_CLOSE: op_close(r, hdr[2]); break;
      case OP_SYSCTL: op_sysctl(r, in, len); break;
      case OP_EXEC: op_exec(r, in, len); break;
      case OP_UNLINK: op_unlink(r, hdr[2], in, len); break;
      default: reply(r, EINVAL, 0, NULL, 0);
    }
  }
}
