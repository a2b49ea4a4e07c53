/*
 * The input side, on its own thread: reads the layer from stdin, inflates it when it is
 * gzip (`--gunzip`), hashes the tar (the layer's diff id) and hands the tar to the unpacking
 * thread through a pipe. So inflating and hashing run beside the file system work, and Node
 * only moves the compressed bytes.
 * Built without zlib's (and ISA-L's) or OpenSSL's headers (scripts/build-native.mjs defines
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
#if defined(BERTH_UNPACK_ISAL)
#include <isa-l/igzip_lib.h>
#elif !defined(BERTH_UNPACK_NO_ZLIB)
#include <zlib.h>
#endif
/* gzip is inflated with ISA-L's igzip when its headers are there (about twice as fast as
 * zlib on a layer), else with zlib */
#if defined(BERTH_UNPACK_ISAL) || !defined(BERTH_UNPACK_NO_ZLIB)
#define GUNZIP 1
#endif

#define CHUNK (1 << 20)

const char unpack_capabilities[] =
#ifdef GUNZIP
    " gunzip"
#endif
#ifdef BERTH_UNPACK_ISAL
    " igzip"
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

/* Up to cap bytes read (0 at EOF), or -1 with err. */
static ssize_t read_some(unsigned char *buf, size_t cap, struct unpack_error *err) {
  for (;;) {
    ssize_t n = read(0, buf, cap);
    if (n >= 0) return n;
    if (errno != EINTR) return fail_sys(err, "read", "the layer stream");
  }
}

#ifdef GUNZIP
/* One gzip member inflater, ISA-L's or zlib's, behind the member loop (inflate_all). */
#if defined(BERTH_UNPACK_ISAL)
/* The header is read first (its reserved flag bits checked, as zlib does), then the deflate
 * data and the trailer (CRC and length checked). */
struct inflater {
  struct inflate_state st;
  struct isal_gzip_header hdr;
  bool in_body;
  bool started;
};
static void inflater_member(struct inflater *z) {
  isal_gzip_header_init(&z->hdr);
  z->st.crc_flag = ISAL_GZIP_NO_HDR_VER;
  z->in_body = false;
}
static int inflater_start(struct inflater *z, struct unpack_error *err) {
  (void)err;
  isal_inflate_init(&z->st);
  inflater_member(z);
  return 0;
}
static void inflater_end(struct inflater *z) { (void)z; }
static void inflater_input(struct inflater *z, unsigned char *p, size_t n) {
  z->st.next_in = p;
  z->st.avail_in = (uint32_t)n;
}
static size_t inflater_left(const struct inflater *z) { return z->st.avail_in; }
static const unsigned char *inflater_next(const struct inflater *z) { return z->st.next_in; }
static void inflater_next_member(struct inflater *z) {
  uint8_t *next = z->st.next_in;
  uint32_t left = z->st.avail_in;
  isal_inflate_reset(&z->st);
  inflater_member(z);
  inflater_input(z, next, left);
}
static const char *isal_error(int r) {
  switch (r) {
    case ISAL_INVALID_BLOCK: return "invalid block type";
    case ISAL_INVALID_SYMBOL: return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_NEED_DICT: return "a preset dictionary is needed";
    default: return "invalid data";
  }
}
/* Inflates into out[0..cap): the bytes written (*end: the member ended), or -1 with err. */
static ssize_t inflater_run(struct inflater *z, unsigned char *out, size_t cap, bool *end, struct unpack_error *err) {
  *end = false;
  if (!z->in_body) {
    int r = isal_read_gzip_header(&z->st, &z->hdr);
    if (r == ISAL_END_INPUT) return 0; /* all input taken: the header goes on in the next read */
    if (r != ISAL_DECOMP_OK) return bad_gzip(err, isal_error(r));
    if (z->hdr.flags & 0xe0) return bad_gzip(err, "unknown header flags set");
    z->in_body = true;
  }
  z->st.next_out = out;
  z->st.avail_out = (uint32_t)cap;
  int r = isal_inflate(&z->st);
  if (r != ISAL_DECOMP_OK) return bad_gzip(err, isal_error(r));
  *end = z->st.block_state == ISAL_BLOCK_FINISH;
  return (ssize_t)(cap - z->st.avail_out);
}
#else
struct inflater {
  z_stream st;
  bool started;
};
static int inflater_start(struct inflater *z, struct unpack_error *err) {
  memset(&z->st, 0, sizeof z->st);
  return inflateInit2(&z->st, 16 + MAX_WBITS) == Z_OK ? 0 : bad_gzip(err, "cannot start zlib");
}
static void inflater_end(struct inflater *z) { inflateEnd(&z->st); }
static void inflater_input(struct inflater *z, unsigned char *p, size_t n) {
  z->st.next_in = p;
  z->st.avail_in = (uInt)n;
}
static size_t inflater_left(const struct inflater *z) { return z->st.avail_in; }
static const unsigned char *inflater_next(const struct inflater *z) { return z->st.next_in; }
static void inflater_next_member(struct inflater *z) { inflateReset(&z->st); }
static ssize_t inflater_run(struct inflater *z, unsigned char *out, size_t cap, bool *end, struct unpack_error *err) {
  z->st.next_out = out;
  z->st.avail_out = (uInt)cap;
  int r = inflate(&z->st, Z_NO_FLUSH);
  if (r != Z_OK && r != Z_BUF_ERROR && r != Z_STREAM_END) return bad_gzip(err, z->st.msg ? z->st.msg : "invalid data");
  *end = r == Z_STREAM_END;
  return (ssize_t)(cap - z->st.avail_out);
}
#endif

static void inflater_free(struct inflater **z) {
  if (*z && (*z)->started) inflater_end(*z);
  free(*z);
  *z = NULL;
}

/* gzip, several members one after the other as gzip(1) writes them; bytes after the last
 * member that do not start another one are read and ignored. `in` holds CHUNK + 1 bytes. */
static int inflate_all(struct source *s, unsigned char *in, unsigned char *out, struct unpack_error *err) {
  __attribute__((cleanup(inflater_free))) struct inflater *z = xmalloc(err, sizeof *z);
  if (!z) return -1;
  z->started = false;
  if (inflater_start(z, err) < 0) return -1;
  z->started = true;
  /* between: a member ended and the next bytes decide whether another one follows;
   * carry: one byte kept back at the start of `in` (the first of a gzip magic split across reads) */
  bool ended = false, between = false, any = false;
  size_t carry = 0;
  ssize_t n;
  while ((n = read_some(in + carry, CHUNK, err)) > 0) {
    if (ended) continue; /* trailing bytes: read, not inflated */
    any = true;
    inflater_input(z, in, carry + (size_t)n);
    carry = 0;
    while (inflater_left(z) > 0 && !ended && !carry) {
      if (between) {
        const unsigned char *next = inflater_next(z);
        if (inflater_left(z) < 2) {
          in[0] = next[0];
          carry = 1;
          break;
        }
        between = false;
        if (next[0] == 0x1f && next[1] == 0x8b) inflater_next_member(z);
        else {
          ended = true;
          break;
        }
      }
      ssize_t got;
      do {
        if ((got = inflater_run(z, out, CHUNK, &between, err)) < 0 || hand_on(s, out, (size_t)got, err) < 0) return -1;
      } while (got == CHUNK && !between);
    }
  }
  if (n < 0) return -1;
  if (any && !ended && !between) return bad_gzip(err, "unexpected end of file");
  return 0;
}
#endif

static int copy_all(struct source *s, struct unpack_error *err) {
  cleanup_free unsigned char *in = xmalloc(err, CHUNK + 1), *out = NULL;
  if (!in) return -1;
#ifdef GUNZIP
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
