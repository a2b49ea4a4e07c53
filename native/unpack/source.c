/*
 * The input side, on its own thread: reads the layer from stdin, inflates it when it is
 * gzip (`--gunzip`), hashes the tar (the layer's diff id) and hands the tar to the unpacking
 * thread through a pipe. So inflating and hashing run beside the file system work, and Node
 * only moves the compressed bytes.
 */
#include "unpack.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1 << 20)

static bool gunzip;
static int out_fd;
static pthread_t thread;
static EVP_MD_CTX *sha;
static unsigned char digest[32];

static void hand_on(const unsigned char *p, size_t n) {
  if (n == 0) return;
  if (!EVP_DigestUpdate(sha, p, n)) fail_sys("sha256", "the layer stream");
  while (n > 0) {
    ssize_t w = write(out_fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail_sys("write", "the layer stream");
    }
    p += w;
    n -= (size_t)w;
  }
}

static size_t read_some(unsigned char *buf) {
  for (;;) {
    ssize_t n = read(0, buf, CHUNK);
    if (n >= 0) return (size_t)n;
    if (errno != EINTR) fail_sys("read", "the layer stream");
  }
}

/* gzip, several members one after the other as gzip(1) writes them; bytes after the last member are ignored. */
static void inflate_all(unsigned char *in, unsigned char *out) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) bad_gzip("cannot start zlib");
  /* between: a member ended and the next bytes decide whether another one follows */
  bool ended = false, between = false, any = false;
  for (size_t n; (n = read_some(in)) > 0;) {
    if (ended) continue; /* trailing bytes: read, not inflated */
    any = true;
    z.next_in = in;
    z.avail_in = (uInt)n;
    while (z.avail_in > 0 && !ended) {
      if (between) {
        between = false;
        if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) inflateReset(&z);
        else {
          ended = true;
          break;
        }
      }
      do {
        z.next_out = out;
        z.avail_out = CHUNK;
        int r = inflate(&z, Z_NO_FLUSH);
        if (r == Z_STREAM_END) between = true;
        else if (r != Z_OK && r != Z_BUF_ERROR) bad_gzip(z.msg ? z.msg : "invalid data");
        hand_on(out, CHUNK - z.avail_out);
      } while (z.avail_out == 0 && !between);
    }
  }
  if (any && !ended && !between) bad_gzip("unexpected end of file");
  inflateEnd(&z);
}

static void *run(void *arg) {
  (void)arg;
  unsigned char *in = xmalloc(CHUNK), *out = gunzip ? xmalloc(CHUNK) : NULL;
  if (gunzip) inflate_all(in, out);
  else
    for (size_t n; (n = read_some(in)) > 0;) hand_on(in, n);
  unsigned len = 0;
  if (!EVP_DigestFinal_ex(sha, digest, &len)) fail_sys("sha256", "the layer stream");
  close(out_fd);
  return NULL;
}

int source_start(bool is_gzip) {
  gunzip = is_gzip;
  sha = EVP_MD_CTX_new();
  if (!sha || !EVP_DigestInit_ex(sha, EVP_sha256(), NULL)) fail_sys("sha256", "the layer stream");
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) fail_sys("pipe2", "");
  fcntl(p[0], F_SETPIPE_SZ, 1 << 20); /* best effort: fewer, bigger handovers */
  out_fd = p[1];
  errno = pthread_create(&thread, NULL, run, NULL);
  if (errno) fail_sys("pthread_create", "");
  return p[0];
}

void source_digest(char hex[65]) {
  errno = pthread_join(thread, NULL);
  if (errno) fail_sys("pthread_join", "");
  for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", digest[i]);
}
