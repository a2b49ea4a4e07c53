/**
 * An open directory, and the one-component operations in it that never follow a symlink:
 * the openat() family for Node, which has none.
 *
 * How: `/proc/self/fd/<fd>/<name>` makes the kernel start at the directory the fd holds
 * (the magic link jumps to the open file; it is not looked up again by name) and then look
 * up one component in it. That is openat(fd, name). With O_NOFOLLOW, or with calls that
 * never follow their last component (lstat, mkdir, symlink, unlink, readlink), no symlink
 * is followed anywhere, and a path is walked one component at a time from fds we hold: a
 * symlink planted or swapped between two steps redirects nothing (the next open refuses it).
 *
 * Chosen over openat2(RESOLVE_IN_ROOT) in the native layer helper: a helper process cannot
 * hand its fds back to Node over the line protocol, and a round trip per file would put a
 * process hop under every entry of a `cp` or a COPY. The one thing openat2 checks that this
 * does not: a directory we hold being renamed out of the root by someone racing us. The
 * roots walked here (image layers, volumes, build contexts, a `cp` destination) are not
 * writable by the content that names the paths.
 */
import type { Stats } from 'node:fs';
import { BerthError, errnoCode } from '../../errors.js';
const fs = process.getBuiltinModule('node:fs');
const { constants } = fs;

/** Not in Node's constants; the same value on x86_64 and aarch64. */
export const O_PATH = 0o10000000;
/** libuv adds O_CLOEXEC to every open. */
const NOFOLLOW = constants.O_NOFOLLOW;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | NOFOLLOW;

/** A path component that may be looked up in a directory: not empty, no slash, not `.`/`..`. */
export function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new BerthError('fs/bad-name', `"${name}" is not a single path component`);
  }
  return name;
}

export const fdPath = (fd: number): string => `/proc/self/fd/${fd}`;

export class SafeDir {
  readonly fd: number;
  /** For messages: the path as the caller knows it (relative to its root). */
  readonly shown: string;

  private constructor(fd: number, shown: string) {
    this.fd = fd;
    this.shown = shown;
  }

  /** Opens a directory the caller trusts by path (a store dir, a destination the user typed). */
  static open(path: string): SafeDir {
    return new SafeDir(fs.openSync(path, constants.O_RDONLY | constants.O_DIRECTORY), path);
  }

  /** `/proc/self/fd/<fd>/<name>`: hand this only to calls that do not follow the last component. */
  at(name: string): string {
    return `${fdPath(this.fd)}/${checkName(name)}`;
  }

  /** Like at(), for a helper process we started (it resolves our fd through /proc/<our pid>). */
  atForHelper(name: string): string {
    return `/proc/${process.pid}/fd/${this.fd}/${checkName(name)}`;
  }

  private child(name: string): string {
    return this.shown === '' || this.shown === '.' ? name : `${this.shown}/${name}`;
  }

  /** A second fd on the same directory (the caller closes both). */
  reopen(): SafeDir {
    // the magic link itself must be followed: it is the directory we hold
    return new SafeDir(fs.openSync(fdPath(this.fd), constants.O_RDONLY | constants.O_DIRECTORY), this.shown);
  }

  lstat(name: string): Stats | undefined {
    try {
      return fs.lstatSync(this.at(name));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  stat(): Stats {
    return fs.fstatSync(this.fd);
  }

  /** Opens the subdirectory `name`; a symlink there is refused (ENOTDIR), never followed. */
  openDir(name: string): SafeDir {
    return new SafeDir(fs.openSync(this.at(name), DIR_FLAGS), this.child(name));
  }

  /** The subdirectory `name`, created with `mode` when missing; a symlink or non-dir there throws ENOTDIR. */
  ensureDir(name: string, mode = 0o755): SafeDir {
    try {
      fs.mkdirSync(this.at(name), mode);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
    return this.openDir(name);
  }

  /** An fd on `name` itself (O_PATH: nothing is opened for I/O, a device or FIFO does not react). */
  openPath(name: string): number {
    return fs.openSync(this.at(name), O_PATH | NOFOLLOW);
  }

  /** Opens the file `name` for reading without following it; refuses anything but a regular file (`what` names it). */
  openRegular(name: string, what = `"${this.child(name)}"`): { fd: number; stat: Stats } {
    const p = this.openPath(name);
    try {
      const st = fs.fstatSync(p);
      if (!st.isFile()) throw new BerthError('fs/not-regular', `${what} is not a regular file; refused`);
      return { fd: fs.openSync(fdPath(p), constants.O_RDONLY), stat: st };
    } finally {
      fs.closeSync(p);
    }
  }

  /** Creates the file `name` afresh (whatever was there, not a directory, is unlinked first). */
  createFile(name: string, mode = 0o600): number {
    this.unlinkIfAny(name);
    return fs.openSync(this.at(name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  }

  symlink(target: string, name: string): void {
    this.unlinkIfAny(name);
    fs.symlinkSync(target, this.at(name));
  }

  readlink(name: string): string {
    return fs.readlinkSync(this.at(name));
  }

  /** Hard link `name` to `target` (a file in `from`), never following either. */
  link(from: SafeDir, target: string, name: string): void {
    this.unlinkIfAny(name);
    fs.linkSync(from.at(target), this.at(name));
  }

  /** Removes a non-directory at `name`; a directory stays (EISDIR is the caller's business). */
  private unlinkIfAny(name: string): void {
    try {
      fs.unlinkSync(this.at(name));
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT' && code !== 'EISDIR') throw err;
    }
  }

  /** Removes whatever is at `name`, a directory tree included, without following symlinks. */
  remove(name: string): void {
    const st = this.lstat(name);
    if (!st) return;
    if (!st.isDirectory()) return this.unlinkIfAny(name);
    const sub = this.openDir(name);
    try {
      for (const n of sub.list()) sub.remove(n);
    } finally {
      sub.close();
    }
    fs.rmdirSync(this.at(name));
  }

  /** Names in this directory, sorted. */
  list(): string[] {
    return fs.readdirSync(fdPath(this.fd)).sort();
  }

  /** Owner, mode and times of `name`: fd-based for files and dirs, l-calls for symlinks. */
  setMeta(name: string, m: { uid?: number; gid?: number; mode?: number; mtime?: number | Date; atime?: number | Date }): void {
    const st = this.lstat(name);
    if (!st) return;
    if (st.isSymbolicLink()) {
      if (m.uid !== undefined && m.gid !== undefined) fs.lchownSync(this.at(name), m.uid, m.gid);
      if (m.mtime !== undefined) fs.lutimesSync(this.at(name), m.atime ?? m.mtime, m.mtime);
      return;
    }
    const fd = this.openPath(name);
    try {
      // fchown/fchmod refuse O_PATH fds; the fd's magic link reaches the very inode opened above
      const p = fdPath(fd);
      if (m.uid !== undefined && m.gid !== undefined) fs.chownSync(p, m.uid, m.gid);
      if (m.mode !== undefined) fs.chmodSync(p, m.mode & 0o7777);
      if (m.mtime !== undefined) fs.utimesSync(p, m.atime ?? m.mtime, m.mtime);
    } finally {
      fs.closeSync(fd);
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Runs `f` with `d`, closing it afterwards. */
export function using<T>(d: SafeDir, f: (d: SafeDir) => T): T {
  try {
    return f(d);
  } finally {
    d.close();
  }
}
