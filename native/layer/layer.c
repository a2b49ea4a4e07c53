/*
 * berth-layer: the filesystem operations Node cannot do, for image layers
 * (src/image/layer-ops.ts): mknod (whiteouts, devices, FIFOs) and extended attributes
 * (security.capability, trusted.overlay.opaque). One request per line on stdin, one
 * reply per line on stdout. Paths, names and values are hex encoded (binary safe).
 *   N <path> <mode-octal> <major> <minor>   -> ok | err <errno>
 *   X <path> <name> <value>                 lsetxattr -> ok | err <errno>
 *   G <path> <name>                         lgetxattr -> ok <value> | err <errno>
 *   L <path>                                llistxattr -> ok <name>,<name>... | err <errno>
 * It never follows symlinks (lsetxattr/lgetxattr, mknod does not follow).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

static int unhex(const char *in, char *out, size_t cap, size_t *len) {
  size_t n = strlen(in);
  if (n % 2 || n / 2 + 1 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned v;
    if (sscanf(in + 2 * i, "%2x", &v) != 1) return -1;
    out[i] = (char)v;
  }
  out[n / 2] = 0;
  if (len) *len = n / 2;
  return 0;
}

static void puthex(const char *buf, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char)buf[i]);
}

int main(void) {
  static char line[1 << 20], path[1 << 16], name[1 << 12], value[1 << 17];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *save = NULL;
    char *op = strtok_r(line, " ", &save);
    char *a1 = strtok_r(NULL, " ", &save);
    char *a2 = strtok_r(NULL, " ", &save);
    char *a3 = strtok_r(NULL, " ", &save);
    char *a4 = strtok_r(NULL, " ", &save);
    if (!op || !a1 || unhex(a1, path, sizeof path, NULL)) {
      printf("err %d\n", EINVAL);
    } else if (op[0] == 'N' && a2 && a3 && a4) {
      mode_t mode = (mode_t)strtoul(a2, NULL, 8);
      dev_t dev = makedev(strtoul(a3, NULL, 10), strtoul(a4, NULL, 10));
      if (mknod(path, mode, dev) == 0) printf("ok\n");
      else printf("err %d\n", errno);
    } else if (op[0] == 'X' && a2 && unhex(a2, name, sizeof name, NULL) == 0) {
      size_t vlen = 0;
      if (a3 == NULL) a3 = "";
      if (unhex(a3, value, sizeof value, &vlen)) printf("err %d\n", EINVAL);
      else if (lsetxattr(path, name, value, vlen, 0) == 0) printf("ok\n");
      else printf("err %d\n", errno);
    } else if (op[0] == 'G' && a2 && unhex(a2, name, sizeof name, NULL) == 0) {
      ssize_t n = lgetxattr(path, name, value, sizeof value);
      if (n < 0) printf("err %d\n", errno);
      else {
        printf("ok ");
        puthex(value, (size_t)n);
        printf("\n");
      }
    } else if (op[0] == 'L') {
      ssize_t n = llistxattr(path, value, sizeof value);
      if (n < 0) printf("err %d\n", errno);
      else {
        printf("ok ");
        for (ssize_t i = 0; i < n;) {
          size_t l = strlen(value + i);
          if (i) printf(",");
          puthex(value + i, l);
          i += (ssize_t)l + 1;
        }
        printf("\n");
      }
    } else {
      printf("err %d\n", EINVAL);
    }
    fflush(stdout);
  }
  return 0;
}
