/*
 * The input side, on its own thread: reads the layer from stdin, inflates it when it is
 * gzip (`--gunzip`), hashes the tar (the layer's diff id) and hands the tar to the unpacking
 * thread through a pipe. So inflating and hashing run beside the file system work, and Node
 * only moves the compressed bytes.
 * Built without zlib's or OpenSSL's headers (scripts/build-native.mjs defines
 * BERTH_UNPACK_NO_ZLIB / BERTH_UNPACK_NO_CRYPTO), it does not inflate or hash: the client
 * does that part (`--capabilities` says which). With neither, there is no thread: the tar
 * is read from stdin directly.
 */
#include "unpack.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifndef BERTH_UNPACK_NO_CRYPTO
#include <openssl/crypto.h>
#endif
#ifndef BERTH_UNPACK_NO_ZLIB
#include <zlib.h>
#endif

#define CHUNK (1 << 20)

const char unpack_capabilities[] =
#ifndef BERTH_UNPACK_NO_ZLIB
    " gunzip"
#endif
#ifndef BERTH_UNPACK_NO_CRYPTO
    " sha256"
#endif
    "";

#ifdef BERTH_UNPACK_NO_CRYPTO
enum { HASHES = 0 };
static int hash_start(struct source *s, struct unpack_error *err) {
  (void)s, (void)err;
  return 0;
}
static int hash_update(struct source *s, const unsigned char *p, size_t n, struct unpack_error *err) {
  (void)s, (void)p, (void)n, (void)err;
  return 0;
}
static int hash_finish(struct source *s, struct unpack_error *err) {
  (void)s, (void)err;
  return 0;
}
static void hash_release(struct source *s) { (void)s; }
#else
enum { HASHES = 1 };
static int hash_start(struct source *s, struct unpack_error *err) {
  /* main may return (and the process exit) on its own error while this thread still hashes:
   * no OpenSSL clean-up at exit under it */
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
  s->sha = EVP_MD_CTX_new();
  if (!s->sha || !EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL)) return fail_sys(err, "sha256", "the layer stream");
  return 0;
}
static int hash_update(struct source *s, const unsigned char *p, size_t n, struct unpack_error *err) {
  return EVP_DigestUpdate(s->sha, p, n) ? 0 : fail_sys(err, "sha256", "the layer stream");
}
static int hash_finish(struct source *s, struct unpack_error *err) {
  unsigned len = 0;
  return EVP_DigestFinal_ex(s->sha, s->digest, &len) ? 0 : fail_sys(err, "sha256", "the layer stream");
}
static void hash_release(struct source *s) {
  EVP_MD_CTX_free(s->sha);
  s->sha = NULL;
}
#endif

static int hand_on(struct source *s, const unsigned char *p, size_t n, struct unpack_error *err) {
  if (n == 0) return 0;
  if (hash_update(s, p, n, err) < 0) return -1;
  while (n > 0) {
    ssize_t w = write(s->out_fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return fail_sys(err, "write", "the layer stream");
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The bytes read (0 at EOF), or -1 with err. */
static ssize_t read_some(unsigned char *buf, size_t len, struct unpack_error *err) {
  for (;;) {
    ssize_t n = read(0, buf, len);
    if (n >= 0) return n;
    if (errno != EINTR) return fail_sys(err, "read", "the layer stream");
  }
}

#ifndef BERTH_UNPACK_NO_ZLIB
static void end_inflate(z_stream *z) { inflateEnd(z); }

/* gzip, several members one after the other as gzip(1) writes them; bytes after the last member are ignored. */
static int inflate_all(struct source *s, unsigned char *in, unsigned char *out, struct unpack_error *err) {
  __attribute__((cleanup(end_inflate))) z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return bad_gzip(err, "cannot start zlib");
  /* between: a member ended and the next bytes decide whether another one follows */
  bool ended = false, between = false, any = false;
  /* kept: the last read ended with the first byte of what follows a member; it waits in in[0] for the next read */
  size_t kept = 0;
  ssize_t n;
  while ((n = read_some(in + kept, CHUNK - kept, err)) > 0) {
    if (ended) continue; /* trailing bytes: read, not inflated */
    any = true;
    z.next_in = in;
    z.avail_in = (uInt)((size_t)n + kept);
    kept = 0;
    while (z.avail_in > 0 && !ended) {
      if (between) {
        if (z.avail_in == 1 && z.next_in[0] == 0x1f) {
          in[0] = 0x1f;
          kept = 1;
          break;
        }
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
        else if (r != Z_OK && r != Z_BUF_ERROR) return bad_gzip(err, z.msg ? z.msg : "invalid data");
        if (hand_on(s, out, CHUNK - z.avail_out, err) < 0) return -1;
      } while (z.avail_out == 0 && !between);
    }
  }
  if (n < 0) return -1;
  if (any && !ended && !between) return bad_gzip(err, "unexpected end of file");
  return 0;
}
#endif

static int copy_all(struct source *s, struct unpack_error *err) {
  cleanup_free unsigned char *in = xmalloc(err, CHUNK), *out = NULL;
  if (!in) return -1;
#ifndef BERTH_UNPACK_NO_ZLIB
  if (s->gunzip) {
    if (!(out = xmalloc(err, CHUNK))) return -1;
    if (inflate_all(s, in, out, err) < 0) return -1;
  } else
#endif
  {
    ssize_t n;
    while ((n = read_some(in, CHUNK, err)) > 0)
      if (hand_on(s, in, (size_t)n, err) < 0) return -1;
    if (n < 0) return -1;
  }
  return hash_finish(s, err);
}

/* The input thread's top-level function: reports its own error; the pipe's end closes either way. */
static void *run(void *arg) {
  struct source *s = arg;
  cleanup_close int out_fd = s->out_fd;
  struct unpack_error err = { 0 };
  if (copy_all(s, &err) < 0) {
    report(s->shared, &err, NULL);
    s->failed = true;
  }
  return NULL;
}

int source_start(struct source *s, bool gunzip, struct shared *sh, struct unpack_error *err) {
  s->gunzip = gunzip;
  s->shared = sh;
  /* nothing to do beside the unpacking: it reads stdin itself */
  if (!gunzip && !HASHES) return 0;
  if (hash_start(s, err) < 0) return -1;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return fail_sys(err, "pipe2", "");
  fcntl(p[0], F_SETPIPE_SZ, 1 << 20); /* best effort: fewer, bigger handovers */
  s->out_fd = p[1];
  errno = pthread_create(&s->thread, NULL, run, s);
  if (errno) {
    close_fd(&s->out_fd);
    close(p[0]);
    return fail_sys(err, "pthread_create", "");
  }
  s->started = true;
  return p[0];
}

int source_digest(struct source *s, char hex[65], struct unpack_error *err) {
  hex[0] = '\0';
  if (!s->started) return 0; /* no thread: nothing hashed */
  errno = pthread_join(s->thread, NULL);
  if (errno) return fail_sys(err, "pthread_join", "");
  s->started = false;
  if (s->failed) {
    err->kind = 0;
    return -1;
  }
#ifndef BERTH_UNPACK_NO_CRYPTO
  for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", s->digest[i]);
#endif
  return 0;
}

/* While the thread runs (main is ending on an error) its state stays: the process's exit ends it. */
void source_release(struct source *s) {
  if (s->started) return;
  hash_release(s);
}
