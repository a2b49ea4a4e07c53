/*
 * berth-unpack: applies one uncompressed layer tar to an empty directory, in overlayfs's
 * format (src/image/unpack.ts is its client). The owner of the layer unpack rules:
 * - names: no absolute path, no `..` component, at most MAX_DEPTH components (path_parse);
 * - every parent is a real directory below the root, reached fd-relative with openat2
 *   (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) or one O_NOFOLLOW step at a time: never
 *   through a symlink (tree.c);
 * - existing entries are replaced (unlink, then O_EXCL|O_NOFOLLOW create), never written
 *   through; hard links only to an entry already in this layer, never to a directory;
 * - `.wh.NAME` -> 0:0 char device, `.wh..wh..opq` -> trusted.overlay.opaque=y, other
 *   `.wh..wh.*` ignored; trusted.overlay.* xattrs refused (apply.c);
 * - directory modes and times applied at the end, only where a real directory still is;
 * - sizes and names come from the tar and are not trusted: checksums, bounded metadata
 *   (tar.c); memory does not grow with the layer.
 * Usage: berth-unpack [--gunzip] < layer, with the (empty) destination directory open on fd 3.
 * The layer is a tar, or with --gunzip a gzip'd tar (inflated on a second thread, source.c).
 * Prints one line on stdout and exits: `ok <bytes of file content> sha256:<hex of the tar>
 * <user µs> <system µs>` (its own CPU time, for BERTH_TRACE; `-` instead of the digest when
 * built without libcrypto), or on failure
 *   R <entry> <why>   refused: an unsafe entry (image/unsafe-layer)
 *   T <what>          malformed tar (image/invalid-tar)
 *   F <entry> <what>  a system call failed (image/unpack-failed); <entry> empty while finishing
 *   Z <what>          the gzip stream is damaged (image/invalid-layer)
 * with every field hex encoded. What was written so far stays: the caller removes the
 * directory (it unpacks into a temp dir and renames on success).
 * `berth-unpack --capabilities` prints what this build does itself, `gunzip sha256` when
 * built with zlib and libcrypto, fewer words without their headers (the client inflates and
 * hashes in their place); the unpack rules are the same in every build.
 */
#include "unpack.h"
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static void unpacker_release(struct unpacker *u) {
  tar_release(&u->tar);
  tree_release(&u->tree);
  apply_release(&u->apply);
}

/* The layer from the tar stream, then the directories' metadata; 0, or -1 with err (`*entry`: the entry being applied). */
static int unpack(struct unpacker *u, struct entry *e, const char **entry, struct unpack_error *err) {
  int more;
  while ((more = tar_next(&u->tar, e, err)) > 0) {
    *entry = e->name;
    if (apply_entry(u, e, err) < 0 || tar_skip_rest(&u->tar, err) < 0) return -1;
    *entry = NULL;
  }
  if (more < 0 || tar_drain(&u->tar, err) < 0) return -1;
  return apply_finish(u, err);
}

/*
 * Placement hint (best effort): the layer's directories, and so their files, go to fresh
 * block groups. ext4 without a journal (these machines) never reuses an inode freed in the
 * last minute and pays a buffer lookup for each one it skips: right after a layer (any
 * ~10k files) was removed nearby, every create costs ~1 ms (a real layer: 2.3 s of system
 * time instead of 0.4 s). FS_TOPDIR_FL has ext4's Orlov allocator spread the root's
 * subdirectories as it does for top-level ones. Other file systems ignore or refuse it.
 */
static void spread_subdirs(int root) {
  int flags;
  if (ioctl(root, FS_IOC_GETFLAGS, &flags) != 0 || (flags & FS_TOPDIR_FL)) return;
  flags |= FS_TOPDIR_FL;
  (void)ioctl(root, FS_IOC_SETFLAGS, &flags);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--capabilities") == 0) {
    printf("%s\n", unpack_capabilities + (unpack_capabilities[0] == ' '));
    return 0;
  }
  struct stat st;
  bool gunzip = argc == 2 && strcmp(argv[1], "--gunzip") == 0 && strstr(unpack_capabilities, " gunzip");
  if ((argc != 1 && !gunzip) || fstat(3, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "usage: berth-unpack [--gunzip | --capabilities] < layer, with the destination directory open on fd 3 (this build: %s)\n",
            unpack_capabilities[0] ? unpack_capabilities + 1 : "no gunzip, no sha256");
    return 2;
  }
  umask(0);
  spread_subdirs(3);
  /* fewer, bigger reads from the pipe Node writes into (best effort) */
  fcntl(0, F_SETPIPE_SZ, 1 << 20);
  struct shared sh = { .lock = PTHREAD_MUTEX_INITIALIZER };
  __attribute__((cleanup(source_release))) struct source src = { .out_fd = -1 };
  __attribute__((cleanup(unpacker_release))) struct unpacker u = { 0 };
  tree_init(&u.tree, 3);
  apply_init(&u, 3);
  /* the current entry: errors point into it until reported */
  __attribute__((cleanup(entry_free))) struct entry e = { 0 };
  struct unpack_error err = { 0 };
  const char *entry = NULL;
  char digest[65];
  int fd = source_start(&src, gunzip, &sh, &err);
  if (fd < 0 || tar_init(&u.tar, fd, &err) < 0 || unpack(&u, &e, &entry, &err) < 0 || source_digest(&src, digest, &err) < 0) {
    /* kind 0: the input thread reported its own error */
    if (err.kind) report(&sh, &err, entry);
    return 1;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("ok %llu %s%s %lld %lld\n", (unsigned long long)u.apply.unpacked_bytes, digest[0] ? "sha256:" : "-", digest,
         (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec, (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
  fflush(stdout);
  return 0;
}
