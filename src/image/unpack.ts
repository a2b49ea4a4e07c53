// Applies one uncompressed layer tar to an empty directory, in overlay's format (whiteouts
// become 0:0 char devices, opaque dirs get trusted.overlay.opaque=y). Security-critical:
// no entry may create or write anything outside `dest`. Every entry name and hard-link
// target is checked lexically (no absolute paths, no `..`), every parent directory must be
// a real directory created by this unpack (never a symlink), existing entries are replaced
// by unlink + O_EXCL|O_NOFOLLOW create, never written through. Streams: memory stays flat.
import { BerthError, errnoCode } from '../errors.js';
import { LayerOps } from './layer-ops.js';
import { readTar, type TarEntry } from './tar-reader.js';
// Synchronous fs calls: one short syscall each, instead of a round trip through libuv's pool
// per call (10k files make ~80k of them); the loop still yields between tar chunks.
const {
  constants,
  lstatSync: lstat,
  mkdirSync: mkdir,
  openSync,
  writeSync,
  closeSync,
  fchownSync,
  fchmodSync,
  futimesSync,
  rmSync: rm,
  symlinkSync: symlink,
  linkSync: link,
  lchownSync: lchown,
  lutimesSync: lutimes,
  chmodSync: chmod,
  utimesSync: utimes,
} = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

export interface UnpackOptions {
  /** Names the image and layer in errors: `image busybox:1.36 layer sha256:...`. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
}

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';
const isRoot = process.getuid?.() === 0;

function refuse(what: string, entry: string, why: string): BerthError {
  return new BerthError('image/unsafe-layer', `${what}: tar entry "${entry}" ${why}; refused`, {
    hint: 'the image contains a hostile or broken layer; nothing outside the layer directory was written',
    details: { entry },
  });
}

/** Lexical clean: the path's components, or a refusal for absolute paths and `..`. */
export function safeComponents(what: string, name: string, label = 'path', entry = name): string[] {
  const shown = entry === name ? '' : ` "${name}"`;
  if (name.startsWith('/')) throw refuse(what, entry, `has an absolute ${label}${shown}`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw refuse(what, entry, `has a ".." component in its ${label}${shown}`);
  return parts;
}

export async function unpackLayer(tar: AsyncIterable<Buffer>, dest: string, o: UnpackOptions): Promise<{ size: number }> {
  const u = new Unpacker(dest, o);
  let current = '';
  try {
    for await (const entry of readTar(tar)) {
      o.signal?.throwIfAborted();
      current = entry.name;
      await u.apply(entry);
    }
    current = '';
    await u.finish();
    return { size: u.size };
  } catch (err) {
    if (err instanceof BerthError || o.signal?.aborted) throw err;
    const where = current ? `tar entry "${current}"` : 'finishing the layer';
    throw new BerthError('image/unpack-failed', `${o.what}: ${where}: ${(err as Error).message}`, { cause: err });
  } finally {
    u.ops.close();
  }
}

class Unpacker {
  readonly dest: string;
  readonly what: string;
  readonly ops = new LayerOps();
  /** Relative paths known to be real directories created by this unpack. */
  private readonly dirs = new Set<string>(['']);
  private readonly dirMeta: { path: string; mode: number; mtime: number }[] = [];
  size = 0;

  constructor(dest: string, o: UnpackOptions) {
    this.dest = dest;
    this.what = o.what;
  }

  /** Makes sure every parent of `parts` is a real directory inside dest; creates missing ones. */
  private async parents(entry: string, parts: readonly string[], create: boolean): Promise<void> {
    let rel = '';
    for (let i = 0; i < parts.length - 1; i++) {
      rel = rel ? `${rel}/${parts[i]}` : parts[i]!;
      if (this.dirs.has(rel)) continue;
      const abs = join(this.dest, rel);
      const st = lstat(abs, { throwIfNoEntry: false });
      if (st?.isSymbolicLink()) throw refuse(this.what, entry, `would be written through the symlink "${rel}"`);
      if (st && !st.isDirectory()) throw refuse(this.what, entry, `has the non-directory "${rel}" as a parent`);
      if (!st) {
        if (!create) throw refuse(this.what, entry, `points at a missing directory "${rel}"`);
        mkdir(abs, { mode: 0o755 });
      }
      this.dirs.add(rel);
    }
  }

  /** Removes whatever exists at rel (never following links); forgets dirs under it. */
  private async clear(rel: string, keepDir: boolean): Promise<void> {
    const abs = join(this.dest, rel);
    const st = lstat(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (keepDir && st.isDirectory()) return;
    rm(abs, { recursive: true, force: true });
    for (const d of this.dirs) if (d === rel || d.startsWith(`${rel}/`)) this.dirs.delete(d);
  }

  async apply(e: TarEntry): Promise<void> {
    const parts = safeComponents(this.what, e.name);
    if (parts.length === 0) {
      if (e.type !== 'directory') throw refuse(this.what, e.name, 'names the layer root but is not a directory');
      this.dirMeta.push({ path: this.dest, mode: e.mode, mtime: e.mtime });
      return;
    }
    const base = parts[parts.length - 1]!;
    const rel = parts.join('/');
    const abs = join(this.dest, rel);
    await this.parents(e.name, parts, true);
    const parentRel = parts.slice(0, -1).join('/');
    if (base === OPAQUE) {
      await this.ops.setXattr(join(this.dest, parentRel), 'trusted.overlay.opaque', Buffer.from('y'));
      return;
    }
    if (base.startsWith(WH)) {
      if (base.startsWith(`${WH}${WH}`)) return; // aufs metadata (.wh..wh.plnk ...): ignored as docker does
      const name = base.slice(WH.length);
      if (name === '' || name === '.' || name === '..') throw refuse(this.what, e.name, 'is an invalid whiteout');
      const target = parentRel ? `${parentRel}/${name}` : name;
      await this.clear(target, false);
      await this.ops.mknod(join(this.dest, target), constants.S_IFCHR | 0o000, 0, 0);
      return;
    }
    for (const x of Object.keys(e.xattrs)) {
      if (x.startsWith('trusted.overlay.')) throw refuse(this.what, e.name, `carries the overlayfs attribute ${x}`);
    }
    switch (e.type) {
      case 'directory': {
        await this.clear(rel, true);
        try {
          mkdir(abs, { mode: 0o755 });
        } catch (err) {
          if (errnoCode(err) !== 'EEXIST') throw err;
        }
        this.dirs.add(rel);
        await this.owner(abs, e);
        await this.xattrs(abs, e);
        this.dirMeta.push({ path: abs, mode: e.mode, mtime: e.mtime });
        return;
      }
      case 'file':
        await this.clear(rel, false);
        await this.file(abs, e);
        return;
      case 'symlink':
        await this.clear(rel, false);
        symlink(e.linkname, abs);
        await this.owner(abs, e);
        await this.xattrs(abs, e);
        lutimes(abs, e.mtime, e.mtime);
        return;
      case 'hardlink': {
        const target = safeComponents(this.what, e.linkname, 'hard link target', e.name);
        if (target.length === 0) throw refuse(this.what, e.name, 'is a hard link to the layer root');
        await this.parents(e.name, target, false);
        const targetAbs = join(this.dest, target.join('/'));
        let st;
        try {
          st = lstat(targetAbs);
        } catch (err) {
          if (errnoCode(err) === 'ENOENT') throw refuse(this.what, e.name, `is a hard link to "${e.linkname}", which is not in this layer`);
          throw err;
        }
        if (st.isDirectory()) throw refuse(this.what, e.name, 'is a hard link to a directory');
        if (target.join('/') === rel) return;
        await this.clear(rel, false);
        link(targetAbs, abs);
        return;
      }
      case 'char':
      case 'block':
      case 'fifo': {
        await this.clear(rel, false);
        const kind = e.type === 'char' ? constants.S_IFCHR : e.type === 'block' ? constants.S_IFBLK : constants.S_IFIFO;
        await this.ops.mknod(abs, kind | (e.mode & 0o777), e.devmajor, e.devminor);
        await this.owner(abs, e);
        chmod(abs, e.mode & 0o7777);
        await this.xattrs(abs, e);
        utimes(abs, e.mtime, e.mtime);
        return;
      }
    }
  }

  private async file(abs: string, e: TarEntry): Promise<void> {
    const fd = openSync(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of e.body()) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      }
      this.size += e.size;
      if (isRoot) fchownSync(fd, e.uid, e.gid);
      fchmodSync(fd, e.mode & 0o7777);
      futimesSync(fd, e.mtime, e.mtime);
    } finally {
      closeSync(fd);
    }
    await this.xattrs(abs, e);
  }

  private async owner(abs: string, e: TarEntry): Promise<void> {
    if (!isRoot) return;
    lchown(abs, e.uid, e.gid);
  }

  private async xattrs(abs: string, e: TarEntry): Promise<void> {
    for (const [name, value] of Object.entries(e.xattrs)) {
      try {
        await this.ops.setXattr(abs, name, value);
      } catch (err) {
        // like docker: attributes the filesystem cannot hold (security.selinux ...) are dropped
        if (!['ENOTSUP', 'EOPNOTSUPP', 'EPERM'].includes(errnoCode(err) ?? '') || name === 'security.capability') throw err;
      }
    }
  }

  async finish(): Promise<void> {
    for (const d of this.dirMeta.reverse()) {
      // a later entry may have replaced the directory (even by a symlink): never follow it
      const st = lstat(d.path, { throwIfNoEntry: false });
      if (!st?.isDirectory()) continue;
      chmod(d.path, d.mode & 0o7777);
      utimes(d.path, d.mtime, d.mtime);
    }
  }
}
