// Copies a directory tree between two open directories without following a symlink on
// either side: symlinks are copied as symlinks, files are opened O_NOFOLLOW, every step
// is fd-relative (dir.ts). Owner, mode and times are kept. A whiteout (0:0 char device, an
// upper layer's deletion) removes the entry from the destination; other devices, FIFOs
// and sockets are skipped.
import { SafeDir, fdPath, using } from './dir.js';
import { isWhiteout } from './layers.js';
const { closeSync, copyFileSync } = process.getBuiltinModule('node:fs');

export function copyTree(src: SafeDir, dst: SafeDir): void {
  for (const name of src.list()) {
    const st = src.lstat(name);
    if (!st) continue;
    const meta = { uid: st.uid, gid: st.gid, mode: st.mode, atime: st.atime, mtime: st.mtime };
    if (isWhiteout(st)) {
      dst.remove(name);
      continue;
    }
    if (st.isDirectory()) {
      if (dst.lstat(name)?.isDirectory() === false) dst.remove(name);
      using(src.openDir(name), (s) => using(dst.ensureDir(name, 0o700), (d) => copyTree(s, d)));
    } else if (st.isSymbolicLink()) {
      if (dst.lstat(name)?.isDirectory()) dst.remove(name);
      dst.symlink(src.readlink(name), name);
    } else if (st.isFile()) {
      if (dst.lstat(name)?.isDirectory()) dst.remove(name);
      copyFileAt(src, name, dst, name);
    } else continue;
    dst.setMeta(name, meta);
  }
}

/** Copies the regular file `name` of `src` to `to` in `dst` (replacing a non-directory there). */
export function copyFileAt(src: SafeDir, name: string, dst: SafeDir, to: string): void {
  const { fd } = src.openRegular(name);
  try {
    copyOpenFile(fd, dst, to);
  } finally {
    closeSync(fd);
  }
}

/** Copies the open file `fd` to `to` in `dst` (created afresh, never through a link). */
export function copyOpenFile(fd: number, dst: SafeDir, to: string): void {
  const out = dst.createFile(to);
  try {
    // both ends are fds opened without following; their magic links reach those inodes
    copyFileSync(fdPath(fd), fdPath(out));
  } finally {
    closeSync(out);
  }
}
