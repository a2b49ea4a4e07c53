/**
 * Extracts a tar that a container produced (`berth cp SERVICE:SRC DEST`) below a host
 * directory, streamed, with the layer unpacker's rules: no absolute name, no `..`, no
 * write through any symlink (every parent is walked fd-relative with util/safe-path and a
 * symlink on the way is refused, whichever entry planted it), files created O_EXCL|O_NOFOLLOW,
 * hard links only to entries inside the destination. Devices and FIFOs are skipped.
 */
import { BerthError } from '../errors.js';
import type { TarEntry } from '../image/index.js';
import { readTar } from '../image/index.js';
import { SafeDir, components, unsafePath, using, walkBeneath } from '../util/safe-path/index.js';
const { closeSync, writeSync } = process.getBuiltinModule('node:fs');

export interface ExtractOptions {
  /** Names the copy in errors: `cp web:/data`. */
  readonly what: string;
  /** Decides, from the first entry (the source itself), where entries land: docker cp's rules. */
  readonly start: (first: TarEntry) => { readonly root: SafeDir; readonly rename: (name: string) => string };
  /** Keep the archive's uid/gid (`-a`); else files belong to the caller. */
  readonly archive: boolean;
  readonly signal?: AbortSignal;
}

interface Dest {
  readonly root: SafeDir;
  readonly rename: (name: string) => string;
}

export async function extractTar(tar: AsyncIterable<Buffer>, o: ExtractOptions): Promise<void> {
  let dest: Dest | undefined;
  const dirs: { parts: string[]; meta: Meta }[] = [];
  try {
    for await (const e of readTar(tar)) {
      o.signal?.throwIfAborted();
      dest ??= o.start(e);
      const parts = await extractEntry(e, dest, o);
      if (e.type === 'directory' && parts.length > 0) dirs.push({ parts, meta: metaOf(e, o.archive) });
    }
    // directory modes and times last (a read-only dir must not stop its own entries)
    for (const d of dirs.reverse()) {
      let parent: SafeDir;
      try {
        parent = walkBeneath(dest!.root, d.parts.slice(0, -1), { what: o.what });
      } catch {
        continue; // a later entry replaced a parent (by a file or a link): that dir is gone
      }
      using(parent, (p) => {
        if (p.lstat(d.parts.at(-1)!)?.isDirectory()) p.setMeta(d.parts.at(-1)!, d.meta);
      });
    }
  } finally {
    dest?.root.close();
  }
}

function metaOf(e: TarEntry, archive: boolean): Meta {
  const own = archive ? { uid: e.uid, gid: e.gid } : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  return { ...own, mode: e.mode, mtime: e.mtime };
}

/** Writes one entry below the root; returns its components there ([] = the root itself). */
async function extractEntry(e: TarEntry, dest: Dest, o: ExtractOptions): Promise<string[]> {
  const parts = checked(o.what, e.name, dest.rename(e.name.replace(/\/+$/, '')));
  const name = parts.at(-1);
  if (name === undefined) return parts;
  const parent = walkBeneath(dest.root, parts.slice(0, -1), { what: o.what, subject: `tar entry "${e.name}"`, create: 0o755 });
  try {
    await apply(parent, name, e, metaOf(e, o.archive), dest, o);
  } finally {
    parent.close();
  }
  return parts;
}

interface Meta {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly mtime: number;
}

function checked(what: string, entry: string, renamed: string): string[] {
  if (renamed.startsWith('/')) throw unsafePath(what, `tar entry "${entry}" has an absolute name`);
  const parts = components(renamed);
  if (parts.includes('..')) throw unsafePath(what, `tar entry "${entry}" has a ".." component`);
  return parts;
}

async function apply(dir: SafeDir, name: string, e: TarEntry, meta: Meta, dest: Dest, o: ExtractOptions): Promise<void> {
  switch (e.type) {
    case 'directory': {
      if (dir.lstat(name)?.isDirectory() === false) dir.remove(name);
      dir.ensureDir(name, 0o700).close();
      return;
    }
    case 'file': {
      if (dir.lstat(name)?.isDirectory()) dir.remove(name);
      const fd = dir.createFile(name);
      try {
        for await (const chunk of e.body()) {
          o.signal?.throwIfAborted();
          for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off, chunk.length - off);
        }
      } finally {
        closeSync(fd);
      }
      dir.setMeta(name, meta);
      return;
    }
    case 'symlink':
      if (dir.lstat(name)?.isDirectory()) dir.remove(name);
      dir.symlink(e.linkname, name);
      dir.setMeta(name, { uid: meta.uid, gid: meta.gid, mtime: meta.mtime });
      return;
    case 'hardlink': {
      const target = checked(o.what, e.name, dest.rename(e.linkname));
      if (target.length === 0) throw unsafePath(o.what, `tar entry "${e.name}" is a hard link to the destination itself`);
      using(walkBeneath(dest.root, target.slice(0, -1), { what: o.what }), (from) => {
        const st = from.lstat(target.at(-1)!);
        if (!st || st.isDirectory()) throw new BerthError('engine/cp', `${o.what}: tar entry "${e.name}" is a hard link to "${e.linkname}", which is not a file copied here`);
        dir.link(from, target.at(-1)!, name);
      });
      return;
    }
    default:
      return; // char, block, fifo: not recreated on the host
  }
}
