/*
 * berth-hello: the bundled example's whole image (examples/hello), one static program so
 * that the example needs no registry: `FROM scratch` + this file.
 *   hello serve PORT MESSAGE     an HTTP server answering every GET with MESSAGE (one log
 *                                line a request; SIGTERM ends it with status 0)
 *   hello get URL                GET http://HOST[:PORT]/PATH, the body on stdout, exit 0 on 200
 *   hello poll SECONDS URL       `get` every SECONDS seconds, "checker: web answered" each time
 * HOST is an IPv4 address, a name in /etc/hosts, or a name the first nameserver of
 * /etc/resolv.conf answers (an A query over UDP): a static binary has no NSS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Set by the SIGTERM/SIGINT handler: state a signal handler writes must be a file-level
 * volatile sig_atomic_t, the one kind of file-level mutable state native/ keeps. */
static volatile sig_atomic_t stop;
static void on_term(int sig) {
  (void)sig;
  stop = 1;
}

static int hosts_lookup(const char *name, struct in_addr *out) {
  FILE *f = fopen("/etc/hosts", "r");
  char line[512];
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    char *save = NULL, *addr = strtok_r(line, " \t\n", &save);
    if (!addr || addr[0] == '#') continue;
    for (char *n; (n = strtok_r(NULL, " \t\n", &save));) {
      if (strcmp(n, name) == 0 && inet_pton(AF_INET, addr, out) == 1) {
        fclose(f);
        return 0;
      }
    }
  }
  fclose(f);
  return -1;
}

static int dns_lookup(const char *name, struct in_addr *out) {
  FILE *f = fopen("/etc/resolv.conf", "r");
  char line[256], server[64] = "";
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "nameserver %63s", server) == 1) break;
  fclose(f);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
  if (!server[0] || inet_pton(AF_INET, server, &sa.sin_addr) != 1) return -1;
  unsigned char q[512] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
  size_t n = 12;
  for (const char *p = name; *p;) {
    size_t len = strcspn(p, ".");
    if (len == 0 || len > 63 || n + len + 6 > sizeof q) return -1;
    q[n++] = (unsigned char)len;
    memcpy(q + n, p, len);
    n += len;
    p += len + (p[len] == '.');
  }
  q[n++] = 0;
  memcpy(q + n, "\0\1\0\1", 4); /* type A, class IN */
  n += 4;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct timeval tv = { .tv_sec = 2 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  unsigned char r[512];
  ssize_t got = -1;
  if (sendto(fd, q, n, 0, (struct sockaddr *)&sa, sizeof sa) == (ssize_t)n) got = recv(fd, r, sizeof r, 0);
  close(fd);
  if (got < (ssize_t)n || r[0] != 0x12 || r[1] != 0x34 || (r[3] & 0x0f) != 0) return -1;
  size_t at = n, answers = (size_t)(r[6] << 8 | r[7]);
  for (size_t i = 0; i < answers && at + 12 <= (size_t)got; i++) {
    if ((r[at] & 0xc0) == 0xc0) at += 2;
    else {
      while (at < (size_t)got && r[at]) at += r[at] + 1u;
      at++;
    }
    if (at + 10 > (size_t)got) break;
    unsigned type = (unsigned)(r[at] << 8 | r[at + 1]), len = (unsigned)(r[at + 8] << 8 | r[at + 9]);
    at += 10;
    if (type == 1 && len == 4 && at + 4 <= (size_t)got) {
      memcpy(out, r + at, 4);
      return 0;
    }
    at += len;
  }
  return -1;
}

static int resolve(const char *host, struct in_addr *out) {
  if (inet_pton(AF_INET, host, out) == 1) return 0;
  if (hosts_lookup(host, out) == 0) return 0;
  return dns_lookup(host, out);
}

/* GET url; the body to stdout when `print`; 0 on HTTP 200. */
static int get(const char *url, int print) {
  char host[256], path[1024] = "/";
  unsigned port = 80;
  if (strncmp(url, "http://", 7) != 0 || sscanf(url + 7, "%255[^:/]", host) != 1) {
    fprintf(stderr, "hello: %s: only http://HOST[:PORT]/PATH URLs\n", url);
    return 2;
  }
  const char *rest = url + 7 + strlen(host);
  if (*rest == ':') port = (unsigned)strtoul(rest + 1, (char **)&rest, 10);
  if (*rest == '/') snprintf(path, sizeof path, "%s", rest);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
  if (resolve(host, &sa.sin_addr) != 0) {
    fprintf(stderr, "hello: cannot resolve %s\n", host);
    return 1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct timeval tv = { .tv_sec = 5 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    fprintf(stderr, "hello: connect %s:%u: %s\n", host, port, strerror(errno));
    close(fd);
    return 1;
  }
  char req[1400], buf[8192];
  int len = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
  size_t have = 0;
  ssize_t r = write(fd, req, (size_t)len);
  while (r >= 0 && have < sizeof buf - 1 && (r = read(fd, buf + have, sizeof buf - 1 - have)) > 0) have += (size_t)r;
  close(fd);
  buf[have] = 0;
  char *body = strstr(buf, "\r\n\r\n");
  int ok = strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0;
  if (print && body) fputs(body + 4, stdout);
  fflush(stdout);
  return ok ? 0 : 1;
}

static int serve(unsigned port, const char *message) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
    fprintf(stderr, "hello: cannot listen on port %u: %s\n", port, strerror(errno));
    return 1;
  }
  printf("hello: serving on port %u\n", port);
  fflush(stdout);
  while (!stop) {
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int c = accept4(fd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    if (c < 0) continue; /* EINTR on SIGTERM: the loop ends */
    char req[2048], line[256] = "";
    struct timeval tv = { .tv_sec = 2 };
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = read(c, req, sizeof req - 1);
    if (n > 0) {
      req[n] = 0;
      sscanf(req, "%255[^\r\n]", line);
      char resp[4096];
      int len = snprintf(resp, sizeof resp, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n%s\n", strlen(message) + 1, message);
      if (write(c, resp, (size_t)len) < 0) perror("hello: write");
      char from[INET_ADDRSTRLEN] = "?";
      inet_ntop(AF_INET, &peer.sin_addr, from, sizeof from);
      if (peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) printf("hello: %s from %s\n", line, from); /* not the healthcheck */
      fflush(stdout);
    }
    close(c);
  }
  printf("hello: stopped\n");
  return 0;
}

int main(int argc, char **argv) {
  struct sigaction sa = { .sa_handler = on_term };
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  if (argc == 4 && strcmp(argv[1], "serve") == 0) return serve((unsigned)atoi(argv[2]), argv[3]);
  if (argc == 3 && strcmp(argv[1], "get") == 0) return get(argv[2], 1);
  if (argc == 4 && strcmp(argv[1], "poll") == 0) {
    unsigned every = (unsigned)atoi(argv[2]);
    while (!stop) {
      if (get(argv[3], 0) == 0) printf("checker: web answered\n");
      else printf("checker: no answer from %s yet\n", argv[3]);
      fflush(stdout);
      for (unsigned i = 0; i < every * 10 && !stop; i++) nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
    }
    return 0;
  }
  fprintf(stderr, "usage: hello serve PORT MESSAGE | hello get URL | hello poll SECONDS URL\n");
  return 2;
}
