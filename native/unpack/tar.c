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

#define BLOCK 512
#define MAX_META (1 << 20)
#define MAX_SAFE ((1ULL << 53) - 1)
#define BUF_SIZE (1 << 20)

static int in_fd;
static unsigned char *buf;
static size_t off, len;
static bool eof;
/* what is left of the current entry: body bytes the consumer may read, then the rest to skip */
static uint64_t body_left, skip_left;

void tar_init(int fd) {
  in_fd = fd;
  buf = xmalloc(BUF_SIZE);
}

/* Refills the buffer when it is empty; false at EOF. */
static bool fill(void) {
  if (off < len) return true;
  if (eof) return false;
  off = len = 0;
  for (;;) {
    ssize_t n = read(in_fd, buf, BUF_SIZE);
    if (n > 0) {
      len = (size_t)n;
      return true;
    }
    if (n == 0) {
      eof = true;
      return false;
    }
    if (errno != EINTR) fail_sys("read", "the layer stream");
  }
}

/* Exactly n bytes into dst; false at a clean EOF before any byte. */
static bool exact(unsigned char *dst, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (!fill()) {
      if (got == 0) return false;
      bad_tar("malformed tar: unexpected end of archive");
    }
    size_t k = len - off < n - got ? len - off : n - got;
    memcpy(dst + got, buf + off, k);
    off += k;
    got += k;
  }
  return true;
}

static void skip(uint64_t n) {
  while (n > 0) {
    if (!fill()) bad_tar("malformed tar: unexpected end of archive");
    size_t k = len - off < n ? len - off : (size_t)n;
    off += k;
    n -= k;
  }
}

void tar_drain(void) {
  while (fill()) off = len;
}

size_t tar_body(const unsigned char **p, size_t max) {
  if (max > body_left) max = (size_t)body_left;
  if (max == 0) return 0;
  if (!fill()) bad_tar("malformed tar: unexpected end of archive");
  size_t k = len - off < max ? len - off : max;
  *p = buf + off;
  off += k;
  body_left -= k;
  skip_left -= k;
  return k;
}

void tar_skip_rest(void) {
  skip(skip_left);
  body_left = skip_left = 0;
}

/* A NUL-terminated field as a new string (stops at the first NUL or the field's end). */
static char *cstr(const unsigned char *b, size_t n) { return xstrndup((const char *)b, strnlen((const char *)b, n)); }

static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static uint64_t num(const unsigned char *f, size_t n, const char *field) {
  if (f[0] & 0x80) {
    /* base-256 (GNU): big-endian, first byte's high bit set; negative values refused */
    if (f[0] == 0xff) bad_tar("malformed tar: negative %s", field);
    uint64_t v = f[0] & 0x7f;
    for (size_t i = 1; i < n; i++) {
      if (v > MAX_SAFE >> 8) bad_tar("malformed tar: %s too large", field);
      v = v * 256 + f[i];
    }
    if (v > MAX_SAFE) bad_tar("malformed tar: %s too large", field);
    return v;
  }
  size_t l = strnlen((const char *)f, n), a = 0;
  while (a < l && is_space(f[a])) a++;
  while (l > a && is_space(f[l - 1])) l--;
  uint64_t v = 0;
  for (size_t i = a; i < l; i++) {
    if (f[i] < '0' || f[i] > '7') bad_tar("malformed tar: invalid %s \"%.*s\"", field, (int)(l - a), (const char *)f + a);
    v = v * 8 + (uint64_t)(f[i] - '0'); /* at most 12 digits: 36 bits */
  }
  return v;
}

static bool checksum_ok(const unsigned char *h) {
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (int i = 0; i < BLOCK; i++) {
    int c = i >= 148 && i < 156 ? 32 : h[i];
    unsigned_sum += c;
    signed_sum += c > 127 ? c - 256 : c;
  }
  uint64_t stored = num(h + 148, 8, "checksum");
  return (int64_t)stored == unsigned_sum || (int64_t)stored == signed_sum;
}

/* pax records: key -> value (binary), in first-insertion order; a later record overrides. */
struct kv {
  char *key;
  unsigned char *val;
  size_t len;
};
struct pax {
  struct kv *v;
  size_t n, cap;
};

static void pax_set(struct pax *m, const char *key, size_t klen, const unsigned char *val, size_t vlen) {
  unsigned char *copy = xmalloc(vlen + 1);
  memcpy(copy, val, vlen);
  copy[vlen] = 0;
  for (size_t i = 0; i < m->n; i++)
    if (strlen(m->v[i].key) == klen && memcmp(m->v[i].key, key, klen) == 0) {
      free(m->v[i].val);
      m->v[i].val = copy;
      m->v[i].len = vlen;
      return;
    }
  if (m->n == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 8;
    struct kv *grown = realloc(m->v, m->cap * sizeof *m->v);
    if (!grown) fail_sys("realloc", "");
    m->v = grown;
  }
  m->v[m->n++] = (struct kv){ xstrndup(key, klen), copy, vlen };
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

static void parse_pax(struct pax *m, const unsigned char *d, size_t n) {
  size_t i = 0;
  while (i < n) {
    const unsigned char *sp = memchr(d + i, ' ', n - i);
    if (!sp) bad_tar("malformed tar: pax record without length");
    uint64_t rl = 0;
    size_t digits = (size_t)(sp - (d + i));
    for (size_t k = 0; k < digits; k++) {
      unsigned char c = d[i + k];
      if (c < '0' || c > '9' || rl > MAX_META) bad_tar("malformed tar: pax record length out of range");
      rl = rl * 10 + (c - '0');
    }
    if (digits == 0 || rl == 0 || rl > n - i || rl < digits + 2) bad_tar("malformed tar: pax record length out of range");
    const unsigned char *rec = sp + 1, *end = d + i + rl - 1; /* the record's last byte is its newline */
    const unsigned char *eq = memchr(rec, '=', (size_t)(end - rec));
    if (!eq) bad_tar("malformed tar: pax record without \"=\"");
    pax_set(m, (const char *)rec, (size_t)(eq - rec), eq + 1, (size_t)(end - eq - 1));
    i += rl;
  }
}

/* A pax number: whole, 0 .. 2^53-1; only mtime may have a fraction (kept as nanoseconds). */
static uint64_t pax_num(const struct kv *v, const char *key, long *ns) {
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
  if (!ok) bad_tar("malformed tar: invalid pax %s \"%.*s\"", key, (int)(v->len < 40 ? v->len : 40), s);
  return whole;
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

static void add_xattr(struct entry *e, size_t *cap, char *name, unsigned char *value, size_t len) {
  for (size_t i = 0; i < e->nxattrs; i++)
    if (strcmp(e->xattrs[i].name, name) == 0) {
      free(name);
      free(e->xattrs[i].value);
      e->xattrs[i].value = value;
      e->xattrs[i].len = len;
      return;
    }
  if (e->nxattrs == *cap) {
    *cap = *cap ? 2 * *cap : 4;
    struct xattr *grown = realloc(e->xattrs, *cap * sizeof *e->xattrs);
    if (!grown) fail_sys("realloc", "");
    e->xattrs = grown;
  }
  e->xattrs[e->nxattrs++] = (struct xattr){ name, value, len };
}

/* SCHILY.xattr.NAME=raw value; LIBARCHIVE.xattr.NAME (URL-encoded)=base64 value. */
static void collect_xattr(struct entry *e, size_t *cap, const struct kv *v) {
  if (strncmp(v->key, "SCHILY.xattr.", 13) == 0) {
    unsigned char *val = xmalloc(v->len);
    memcpy(val, v->val, v->len);
    add_xattr(e, cap, xstrndup(v->key + 13, strlen(v->key + 13)), val, v->len);
  } else if (strncmp(v->key, "LIBARCHIVE.xattr.", 17) == 0) {
    const char *k = v->key + 17;
    char *name = xmalloc(strlen(k) + 1);
    size_t o = 0;
    for (size_t i = 0; k[i]; i++) {
      if (k[i] != '%') {
        name[o++] = k[i];
        continue;
      }
      int hi = hexval(k[i + 1]), lo = hi < 0 ? -1 : hexval(k[i + 2]);
      if (lo < 0) bad_tar("malformed tar: invalid xattr name in \"%s\"", v->key);
      name[o++] = (char)(hi * 16 + lo);
      i += 2;
    }
    name[o] = 0;
    if (strlen(name) != o) bad_tar("malformed tar: NUL byte in an xattr name");
    unsigned char *val = xmalloc(v->len);
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
    add_xattr(e, cap, name, val, vl);
  }
}

static void entry_free(struct entry *e) {
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

static struct pax entry_pax, global_pax;
static char *long_name, *long_link;
static uint64_t entry_meta, global_meta;
static bool started;

static const unsigned char zero_block[BLOCK];

bool tar_next(struct entry *e) {
  static unsigned char h[BLOCK];
  if (started) entry_free(e);
  else memset(e, 0, sizeof *e);
  started = true;
  for (;;) {
    if (!exact(h, BLOCK)) return false; /* EOF without end blocks: accepted (many writers truncate) */
    if (memcmp(h, zero_block, BLOCK) == 0) {
      tar_drain();
      return false;
    }
    if (!checksum_ok(h)) bad_tar("malformed tar: header checksum mismatch");
    unsigned char flag = h[156];
    uint64_t size = num(h + 124, 12, "size");
    uint64_t padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
      if (size > MAX_META) bad_tar("malformed tar: metadata record of %llu bytes", (unsigned long long)size);
      if (flag == 'g' ? (global_meta += size) > MAX_META : (entry_meta += size) > MAX_META)
        bad_tar("malformed tar: more than %d bytes of metadata records", MAX_META);
      unsigned char *data = xmalloc(padded + 1);
      if (!exact(data, padded)) size = 0;
      if (flag == 'x') parse_pax(&entry_pax, data, size);
      else if (flag == 'g') parse_pax(&global_pax, data, size);
      else {
        char **slot = flag == 'L' ? &long_name : &long_link;
        free(*slot);
        *slot = cstr(data, size);
      }
      free(data);
      continue;
    }
    int type = type_of(flag);
    if (type < 0) {
      char shown[101];
      snprintf(shown, sizeof shown, "%.*s", (int)strnlen((const char *)h, 100), (const char *)h);
      bad_tar("malformed tar: unsupported entry type \"%c\" (%s)", flag >= 0x20 && flag < 0x7f ? flag : '?', shown);
    }
    bool ustar = memcmp(h + 257, "ustar", 5) == 0;
    const struct kv *path = pax_get(&entry_pax, &global_pax, "path");
    const struct kv *linkpath = pax_get(&entry_pax, &global_pax, "linkpath");
    if ((path && memchr(path->val, 0, path->len)) || (linkpath && memchr(linkpath->val, 0, linkpath->len))) bad_tar("malformed tar: NUL byte in a name");
    if (path) e->name = xstrndup((const char *)path->val, path->len);
    else if (long_name) e->name = xstrndup(long_name, strlen(long_name));
    else {
      char *base = cstr(h, 100), *prefix = ustar ? cstr(h + 345, 155) : NULL;
      if (prefix && *prefix) {
        e->name = xmalloc(strlen(prefix) + strlen(base) + 2);
        sprintf(e->name, "%s/%s", prefix, base);
        free(base);
      } else e->name = base;
      free(prefix);
    }
    if (linkpath) e->linkname = xstrndup((const char *)linkpath->val, linkpath->len);
    else if (long_link) e->linkname = xstrndup(long_link, strlen(long_link));
    else e->linkname = cstr(h + 157, 100);
    size_t cap = 0;
    for (size_t i = 0; i < global_pax.n; i++) collect_xattr(e, &cap, &global_pax.v[i]);
    for (size_t i = 0; i < entry_pax.n; i++) collect_xattr(e, &cap, &entry_pax.v[i]);
    const struct kv *v;
    long ns = 0;
    e->type = (enum tar_type)type;
    e->mode = (v = pax_get(&entry_pax, &global_pax, "mode")) ? pax_num(v, "mode", NULL) : num(h + 100, 8, "mode");
    e->uid = (v = pax_get(&entry_pax, &global_pax, "uid")) ? pax_num(v, "uid", NULL) : num(h + 108, 8, "uid");
    e->gid = (v = pax_get(&entry_pax, &global_pax, "gid")) ? pax_num(v, "gid", NULL) : num(h + 116, 8, "gid");
    e->mtime_s = (int64_t)((v = pax_get(&entry_pax, &global_pax, "mtime")) ? pax_num(v, "mtime", &ns) : num(h + 136, 12, "mtime"));
    e->mtime_ns = ns;
    e->devmajor = ustar ? num(h + 329, 8, "devmajor") : 0;
    e->devminor = ustar ? num(h + 337, 8, "devminor") : 0;
    const struct kv *psize = pax_get(&entry_pax, &global_pax, "size");
    uint64_t real = psize ? pax_num(psize, "size", NULL) : size;
    e->size = type == T_FILE ? real : 0;
    /* non-files: any declared body is skipped */
    skip_left = psize ? (real + BLOCK - 1) / BLOCK * BLOCK : padded;
    body_left = e->size;
    pax_clear(&entry_pax);
    free(long_name);
    free(long_link);
    long_name = long_link = NULL;
    entry_meta = 0;
    return true;
  }
}
