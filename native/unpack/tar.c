/*
 * The streaming tar reader (ustar, pax, GNU long names), for hostile input: every header is
 * checksummed, numbers are bounded, metadata records (pax, long names) are capped at
 * MAX_META bytes per entry and MAX_META for the global ones, nothing else is held beyond
 * the read buffer. The same format rules as src/image/tar-reader.ts (which reads archives
 * and `cp` streams in Node).
 */
#include "unpack.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK TAR_BLOCK
#define MAX_META (1 << 20)
#define MAX_SAFE ((1ULL << 53) - 1)
#define BUF_SIZE (1 << 20)

int tar_init(struct tar *t, int fd, struct unpack_error *err) {
  t->fd = fd;
  t->buf = xmalloc(err, BUF_SIZE);
  return t->buf ? 0 : -1;
}

static void pax_clear(struct pax *m);

void tar_release(struct tar *t) {
  free(t->buf);
  pax_clear(&t->entry_pax);
  pax_clear(&t->global_pax);
  free(t->entry_pax.v);
  free(t->global_pax.v);
  free(t->long_name);
  free(t->long_link);
  memset(t, 0, sizeof *t);
}

/* Refills the buffer when it is empty: 1, 0 at EOF, -1 with err. */
static int fill(struct tar *t, struct unpack_error *err) {
  if (t->off < t->len) return 1;
  if (t->eof) return 0;
  t->off = t->len = 0;
  for (;;) {
    ssize_t n = read(t->fd, t->buf, BUF_SIZE);
    if (n > 0) {
      t->len = (size_t)n;
      return 1;
    }
    if (n == 0) {
      t->eof = true;
      return 0;
    }
    if (errno != EINTR) return fail_sys(err, "read", "the layer stream");
  }
}

/* Exactly n bytes into dst: 1, 0 at a clean EOF before any byte, -1 with err. */
static int exact(struct tar *t, unsigned char *dst, size_t n, struct unpack_error *err) {
  size_t got = 0;
  while (got < n) {
    int r = fill(t, err);
    if (r < 0) return -1;
    if (r == 0) {
      if (got == 0) return 0;
      return bad_tar(err, "malformed tar: unexpected end of archive");
    }
    size_t k = t->len - t->off < n - got ? t->len - t->off : n - got;
    memcpy(dst + got, t->buf + t->off, k);
    t->off += k;
    got += k;
  }
  return 1;
}

static int skip(struct tar *t, uint64_t n, struct unpack_error *err) {
  while (n > 0) {
    int r = fill(t, err);
    if (r < 0) return -1;
    if (r == 0) return bad_tar(err, "malformed tar: unexpected end of archive");
    size_t k = t->len - t->off < n ? t->len - t->off : (size_t)n;
    t->off += k;
    n -= k;
  }
  return 0;
}

int tar_drain(struct tar *t, struct unpack_error *err) {
  int r;
  while ((r = fill(t, err)) > 0) t->off = t->len;
  return r;
}

ssize_t tar_body(struct tar *t, const unsigned char **p, size_t max, struct unpack_error *err) {
  if (max > t->body_left) max = (size_t)t->body_left;
  if (max == 0) return 0;
  int r = fill(t, err);
  if (r < 0) return -1;
  if (r == 0) return bad_tar(err, "malformed tar: unexpected end of archive");
  size_t k = t->len - t->off < max ? t->len - t->off : max;
  *p = t->buf + t->off;
  t->off += k;
  t->body_left -= k;
  t->skip_left -= k;
  return (ssize_t)k;
}

int tar_skip_rest(struct tar *t, struct unpack_error *err) {
  if (skip(t, t->skip_left, err) < 0) return -1;
  t->body_left = t->skip_left = 0;
  return 0;
}

/* A NUL-terminated field as a new string (stops at the first NUL or the field's end); NULL with err. */
static char *cstr(const unsigned char *b, size_t n, struct unpack_error *err) { return xstrndup(err, (const char *)b, strnlen((const char *)b, n)); }

static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

/* A header number into *out; 0, or -1 with err. */
static int num(const unsigned char *f, size_t n, const char *field, uint64_t *out, struct unpack_error *err) {
  if (f[0] & 0x80) {
    /* base-256 (GNU): big-endian, first byte's high bit set; negative values refused */
    if (f[0] == 0xff) return bad_tar(err, "malformed tar: negative %s", field);
    uint64_t v = f[0] & 0x7f;
    for (size_t i = 1; i < n; i++) {
      if (v > MAX_SAFE >> 8) return bad_tar(err, "malformed tar: %s too large", field);
      v = v * 256 + f[i];
    }
    if (v > MAX_SAFE) return bad_tar(err, "malformed tar: %s too large", field);
    *out = v;
    return 0;
  }
  size_t l = strnlen((const char *)f, n), a = 0;
  while (a < l && is_space(f[a])) a++;
  while (l > a && is_space(f[l - 1])) l--;
  uint64_t v = 0;
  for (size_t i = a; i < l; i++) {
    if (f[i] < '0' || f[i] > '7') return bad_tar(err, "malformed tar: invalid %s \"%.*s\"", field, (int)(l - a), (const char *)f + a);
    v = v * 8 + (uint64_t)(f[i] - '0'); /* at most 12 digits: 36 bits */
  }
  *out = v;
  return 0;
}

/* 1 when the header's checksum matches, 0 when not, -1 with err. */
static int checksum_ok(const unsigned char *h, struct unpack_error *err) {
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (int i = 0; i < BLOCK; i++) {
    int c = i >= 148 && i < 156 ? 32 : h[i];
    unsigned_sum += c;
    signed_sum += c > 127 ? c - 256 : c;
  }
  uint64_t stored;
  if (num(h + 148, 8, "checksum", &stored, err) < 0) return -1;
  return (int64_t)stored == unsigned_sum || (int64_t)stored == signed_sum;
}

static int pax_set(struct pax *m, const char *key, size_t klen, const unsigned char *val, size_t vlen, struct unpack_error *err) {
  unsigned char *copy = xmalloc(err, vlen + 1);
  if (!copy) return -1;
  memcpy(copy, val, vlen);
  copy[vlen] = 0;
  for (size_t i = 0; i < m->n; i++)
    if (strlen(m->v[i].key) == klen && memcmp(m->v[i].key, key, klen) == 0) {
      free(m->v[i].val);
      m->v[i].val = copy;
      m->v[i].len = vlen;
      return 0;
    }
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 8;
    struct kv *grown = realloc(m->v, cap * sizeof *m->v);
    if (!grown) {
      free(copy);
      return fail_sys(err, "realloc", "");
    }
    m->v = grown;
    m->cap = cap;
  }
  char *k = xstrndup(err, key, klen);
  if (!k) {
    free(copy);
    return -1;
  }
  m->v[m->n++] = (struct kv){ k, copy, vlen };
  return 0;
}

static void pax_clear(struct pax *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->v[i].key);
    free(m->v[i].val);
  }
  m->n = 0;
}

static const struct kv *pax_get(const struct pax *entry, const struct pax *global, const char *key) {
  for (size_t i = 0; i < entry->n; i++)
    if (strcmp(entry->v[i].key, key) == 0) return &entry->v[i];
  for (size_t i = 0; i < global->n; i++)
    if (strcmp(global->v[i].key, key) == 0) return &global->v[i];
  return NULL;
}

static int parse_pax(struct pax *m, const unsigned char *d, size_t n, struct unpack_error *err) {
  size_t i = 0;
  while (i < n) {
    const unsigned char *sp = memchr(d + i, ' ', n - i);
    if (!sp) return bad_tar(err, "malformed tar: pax record without length");
    uint64_t rl = 0;
    size_t digits = (size_t)(sp - (d + i));
    for (size_t k = 0; k < digits; k++) {
      unsigned char c = d[i + k];
      if (c < '0' || c > '9' || rl > MAX_META) return bad_tar(err, "malformed tar: pax record length out of range");
      rl = rl * 10 + (c - '0');
    }
    if (digits == 0 || rl == 0 || rl > n - i || rl < digits + 2) return bad_tar(err, "malformed tar: pax record length out of range");
    const unsigned char *rec = sp + 1, *end = d + i + rl - 1; /* the record's last byte is its newline */
    const unsigned char *eq = memchr(rec, '=', (size_t)(end - rec));
    if (!eq) return bad_tar(err, "malformed tar: pax record without \"=\"");
    if (pax_set(m, (const char *)rec, (size_t)(eq - rec), eq + 1, (size_t)(end - eq - 1), err) < 0) return -1;
    i += rl;
  }
  return 0;
}

/* A pax number into *out: whole, 0 .. 2^53-1; only mtime may have a fraction (kept as nanoseconds). 0, or -1 with err. */
static int pax_num(const struct kv *v, const char *key, long *ns, uint64_t *out, struct unpack_error *err) {
  const char *s = (const char *)v->val;
  size_t a = 0, l = v->len;
  while (a < l && is_space((unsigned char)s[a])) a++;
  while (l > a && is_space((unsigned char)s[l - 1])) l--;
  uint64_t whole = 0;
  size_t i = a;
  for (; i < l && s[i] >= '0' && s[i] <= '9'; i++) {
    whole = whole * 10 + (uint64_t)(s[i] - '0');
    if (whole > MAX_SAFE) break;
  }
  bool ok = whole <= MAX_SAFE && (i == l || (ns && s[i] == '.'));
  if (ok && i < l) {
    long frac = 0, scale = 100000000;
    for (i++; i < l && ok; i++) {
      if (s[i] < '0' || s[i] > '9') ok = false;
      else if (scale > 0) {
        frac += (s[i] - '0') * scale;
        scale /= 10;
      }
    }
    *ns = frac;
  }
  if (!ok) return bad_tar(err, "malformed tar: invalid pax %s \"%.*s\"", key, (int)(v->len < 40 ? v->len : 40), s);
  *out = whole;
  return 0;
}

static int b64(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Takes name and value (freed on an error too); 0, or -1 with err. */
static int add_xattr(struct entry *e, size_t *cap, char *name, unsigned char *value, size_t len, struct unpack_error *err) {
  for (size_t i = 0; i < e->nxattrs; i++)
    if (strcmp(e->xattrs[i].name, name) == 0) {
      free(name);
      free(e->xattrs[i].value);
      e->xattrs[i].value = value;
      e->xattrs[i].len = len;
      return 0;
    }
  if (e->nxattrs == *cap) {
    size_t grown_cap = *cap ? 2 * *cap : 4;
    struct xattr *grown = realloc(e->xattrs, grown_cap * sizeof *e->xattrs);
    if (!grown) {
      free(name);
      free(value);
      return fail_sys(err, "realloc", "");
    }
    e->xattrs = grown;
    *cap = grown_cap;
  }
  e->xattrs[e->nxattrs++] = (struct xattr){ name, value, len };
  return 0;
}

/* SCHILY.xattr.NAME=raw value; LIBARCHIVE.xattr.NAME (URL-encoded)=base64 value. 0, or -1 with err. */
static int collect_xattr(struct entry *e, size_t *cap, const struct kv *v, struct unpack_error *err) {
  if (strncmp(v->key, "SCHILY.xattr.", 13) == 0) {
    cleanup_free unsigned char *val = xmalloc(err, v->len);
    cleanup_free char *name = val ? xstrndup(err, v->key + 13, strlen(v->key + 13)) : NULL;
    if (!name) return -1;
    memcpy(val, v->val, v->len);
    int r = add_xattr(e, cap, name, val, v->len, err);
    name = NULL;
    val = NULL;
    return r;
  }
  if (strncmp(v->key, "LIBARCHIVE.xattr.", 17) == 0) {
    const char *k = v->key + 17;
    cleanup_free char *name = xmalloc(err, strlen(k) + 1);
    if (!name) return -1;
    size_t o = 0;
    for (size_t i = 0; k[i]; i++) {
      if (k[i] != '%') {
        name[o++] = k[i];
        continue;
      }
      int hi = hexval(k[i + 1]), lo = hi < 0 ? -1 : hexval(k[i + 2]);
      if (lo < 0) return bad_tar(err, "malformed tar: invalid xattr name in \"%s\"", v->key);
      name[o++] = (char)(hi * 16 + lo);
      i += 2;
    }
    name[o] = 0;
    if (strlen(name) != o) return bad_tar(err, "malformed tar: NUL byte in an xattr name");
    cleanup_free unsigned char *val = xmalloc(err, v->len);
    if (!val) return -1;
    size_t vl = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < v->len && v->val[i] != '='; i++) {
      int d = b64(v->val[i]);
      if (d < 0) continue;
      acc = (acc << 6) | (unsigned)d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        val[vl++] = (unsigned char)(acc >> bits);
      }
    }
    int r = add_xattr(e, cap, name, val, vl, err);
    name = NULL;
    val = NULL;
    return r;
  }
  return 0;
}

void entry_free(struct entry *e) {
  free(e->name);
  free(e->linkname);
  for (size_t i = 0; i < e->nxattrs; i++) {
    free(e->xattrs[i].name);
    free(e->xattrs[i].value);
  }
  free(e->xattrs);
  memset(e, 0, sizeof *e);
}

static int type_of(unsigned char flag) {
  switch (flag) {
    case '0':
    case 0:
    case '7': return T_FILE;
    case '1': return T_HARDLINK;
    case '2': return T_SYMLINK;
    case '3': return T_CHAR;
    case '4': return T_BLOCK;
    case '5': return T_DIR;
    case '6': return T_FIFO;
    default: return -1;
  }
}

static const unsigned char zero_block[BLOCK];

/* A metadata record (pax, GNU long name or link) of `size` bytes: 0, or -1 with err. */
static int read_meta(struct tar *t, unsigned char flag, uint64_t size, uint64_t padded, struct unpack_error *err) {
  if (size > MAX_META) return bad_tar(err, "malformed tar: metadata record of %llu bytes", (unsigned long long)size);
  if (flag == 'g' ? (t->global_meta += size) > MAX_META : (t->entry_meta += size) > MAX_META)
    return bad_tar(err, "malformed tar: more than %d bytes of metadata records", MAX_META);
  cleanup_free unsigned char *data = xmalloc(err, padded + 1);
  if (!data) return -1;
  int r = exact(t, data, padded, err);
  if (r < 0) return -1;
  if (r == 0) size = 0;
  if (flag == 'x') return parse_pax(&t->entry_pax, data, size, err);
  if (flag == 'g') return parse_pax(&t->global_pax, data, size, err);
  char **slot = flag == 'L' ? &t->long_name : &t->long_link;
  free(*slot);
  *slot = cstr(data, size, err);
  return *slot ? 0 : -1;
}

/* A number from the pax records when there, else from the header field; 0, or -1 with err. */
static int field(struct tar *t, const char *key, const unsigned char *f, size_t n, long *ns, uint64_t *out, struct unpack_error *err) {
  const struct kv *v = pax_get(&t->entry_pax, &t->global_pax, key);
  return v ? pax_num(v, key, ns, out, err) : num(f, n, key, out, err);
}

/* The entry's names from the pax records, GNU long names or the header; 0, or -1 with err. */
static int names(struct tar *t, struct entry *e, bool ustar, struct unpack_error *err) {
  const unsigned char *h = t->h;
  const struct kv *path = pax_get(&t->entry_pax, &t->global_pax, "path");
  const struct kv *linkpath = pax_get(&t->entry_pax, &t->global_pax, "linkpath");
  if ((path && memchr(path->val, 0, path->len)) || (linkpath && memchr(linkpath->val, 0, linkpath->len)))
    return bad_tar(err, "malformed tar: NUL byte in a name");
  if (path) e->name = xstrndup(err, (const char *)path->val, path->len);
  else if (t->long_name) e->name = xstrndup(err, t->long_name, strlen(t->long_name));
  else {
    cleanup_free char *base = cstr(h, 100, err);
    cleanup_free char *prefix = base && ustar ? cstr(h + 345, 155, err) : NULL;
    if (!base || (ustar && !prefix)) return -1;
    if (prefix && *prefix) {
      e->name = xmalloc(err, strlen(prefix) + strlen(base) + 2);
      if (e->name) sprintf(e->name, "%s/%s", prefix, base);
    } else {
      e->name = base;
      base = NULL;
    }
  }
  if (!e->name) return -1;
  if (linkpath) e->linkname = xstrndup(err, (const char *)linkpath->val, linkpath->len);
  else if (t->long_link) e->linkname = xstrndup(err, t->long_link, strlen(t->long_link));
  else e->linkname = cstr(h + 157, 100, err);
  return e->linkname ? 0 : -1;
}

int tar_next(struct tar *t, struct entry *e, struct unpack_error *err) {
  const unsigned char *h = t->h;
  entry_free(e);
  for (;;) {
    int r = exact(t, t->h, BLOCK, err);
    if (r <= 0) return r; /* EOF without end blocks: accepted (many writers truncate) */
    if (memcmp(h, zero_block, BLOCK) == 0) return tar_drain(t, err);
    if ((r = checksum_ok(h, err)) <= 0) return r < 0 ? -1 : bad_tar(err, "malformed tar: header checksum mismatch");
    unsigned char flag = h[156];
    uint64_t size;
    if (num(h + 124, 12, "size", &size, err) < 0) return -1;
    uint64_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
      if (read_meta(t, flag, size, padded, err) < 0) return -1;
      continue;
    }
    int type = type_of(flag);
    if (type < 0) {
      char shown[101];
      snprintf(shown, sizeof shown, "%.*s", (int)strnlen((const char *)h, 100), (const char *)h);
      return bad_tar(err, "malformed tar: unsupported entry type \"%c\" (%s)", flag >= 0x20 && flag < 0x7f ? flag : '?', shown);
    }
    bool ustar = memcmp(h + 257, "ustar", 5) == 0;
    if (names(t, e, ustar, err) < 0) return -1;
    size_t cap = 0;
    for (size_t i = 0; i < t->global_pax.n; i++)
      if (collect_xattr(e, &cap, &t->global_pax.v[i], err) < 0) return -1;
    for (size_t i = 0; i < t->entry_pax.n; i++)
      if (collect_xattr(e, &cap, &t->entry_pax.v[i], err) < 0) return -1;
    long ns = 0;
    uint64_t mtime;
    e->type = (enum tar_type)type;
    if (field(t, "mode", h + 100, 8, NULL, &e->mode, err) < 0 || field(t, "uid", h + 108, 8, NULL, &e->uid, err) < 0 ||
        field(t, "gid", h + 116, 8, NULL, &e->gid, err) < 0 || field(t, "mtime", h + 136, 12, &ns, &mtime, err) < 0)
      return -1;
    e->mtime_s = (int64_t)mtime;
    e->mtime_ns = ns;
    e->devmajor = e->devminor = 0;
    if (ustar && (num(h + 329, 8, "devmajor", &e->devmajor, err) < 0 || num(h + 337, 8, "devminor", &e->devminor, err) < 0)) return -1;
    const struct kv *psize = pax_get(&t->entry_pax, &t->global_pax, "size");
    uint64_t real = size;
    if (psize && pax_num(psize, "size", NULL, &real, err) < 0) return -1;
    e->size = type == T_FILE ? real : 0;
    /* non-files: any declared body is skipped */
    t->skip_left = psize ? (real + BLOCK - 1) / BLOCK * BLOCK : padded;
    t->body_left = e->size;
    pax_clear(&t->entry_pax);
    free(t->long_name);
    free(t->long_link);
    t->long_name = t->long_link = NULL;
    t->entry_meta = 0;
    return 1;
  }
}
