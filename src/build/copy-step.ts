// COPY / ADD: the sources are laid out in a staging dir exactly as they will appear in the
// image (parents that exist in the image keep their owner and mode), then the staging dir
// becomes one layer through the image store (addLayer). ADD extracts local tar archives
// (plain, gzip, zstd); URLs are refused by the caller.
import { join, posix } from 'node:path';
import { BerthError } from '../errors.js';
import { upperDirTar } from '../image/commit.js';
import { decompress } from '../image/compression.js';
import { addLayer, type BuiltLayer } from '../image/image-builder.js';
import { LayerOps } from '../image/layer-ops.js';
import { tmpName, type ImageStore } from '../image/store.js';
import { unpackLayer } from '../image/unpack.js';
import { matchSource, walkSource, type SourceEntry, type SourceFs } from './context.js';
import type { LayeredFs } from './layered-fs.js';
const { createReadStream } = process.getBuiltinModule('node:fs');
const { chmod, chown, copyFile, lchown, lutimes, mkdir, open, readlink, rm, symlink, utimes, writeFile } = process.getBuiltinModule('node:fs/promises');

export interface CopyPlan {
  readonly fs: SourceFs;
  readonly sources: readonly string[];
  /** `COPY <<EOF /dest` bodies: file name -> content. */
  readonly inline: readonly { readonly name: string; readonly content: string }[];
  /** Absolute destination inside the image. */
  readonly dest: string;
  readonly owner: { readonly uid: number; readonly gid: number } | undefined;
  readonly chmod: number | undefined;
  readonly add: boolean;
  readonly what: string;
}

/** Resolves the plan's sources (for hashing and copying); a missing source is an error. */
export async function resolveSources(fs: SourceFs, sources: readonly string[]): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for (const s of sources) {
    const found = await matchSource(fs, s);
    if (found.length === 0 && !/[*?[]/.test(s)) {
      const excluded = fs.ignored(posix.normalize(`/${s}`).slice(1));
      throw new BerthError('build/source-missing', `"${s}" not found in the ${fs.label}${excluded ? ' (excluded by .dockerignore)' : ''}`);
    }
    out.push(...found);
  }
  if (out.length === 0) throw new BerthError('build/source-missing', `no source files match ${sources.map((s) => `"${s}"`).join(', ')} in the ${fs.label}`);
  return out;
}

type ArchiveKind = 'tar' | 'none';

async function archiveKind(abs: string): Promise<ArchiveKind> {
  const fh = await open(abs, 'r');
  const head = Buffer.alloc(6);
  try {
    await fh.read(head, 0, 6, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) throw new BerthError('build/unsupported', 'bzip2 archives are not supported by ADD', { hint: 'use a .tar, .tar.gz or .tar.zst archive' });
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) throw new BerthError('build/unsupported', 'xz archives are not supported by ADD', { hint: 'use a .tar, .tar.gz or .tar.zst archive' });
  let first = Buffer.alloc(0);
  try {
    for await (const chunk of decompress(createReadStream(abs))) {
      first = Buffer.concat([first, chunk]);
      if (first.length >= 512) break;
    }
  } catch {
    return 'none';
  }
  return first.length >= 262 && first.subarray(257, 262).toString('latin1') === 'ustar' ? 'tar' : 'none';
}

export async function copyLayer(store: ImageStore, lowers: LayeredFs, plan: CopyPlan, entries: readonly SourceEntry[]): Promise<BuiltLayer> {
  const stage = tmpName(store, 'build-copy');
  await mkdir(stage, { recursive: true });
  const ops = new LayerOps();
  try {
    const owner = plan.owner ?? { uid: 0, gid: 0 };
    // symlinks in the image are followed (a merged-/usr image's /bin is /usr/bin)
    const full = await lowers.resolve(plan.dest);
    const destDirLike = plan.dest.endsWith('/') || entries.length + plan.inline.length > 1 || (await lowers.lstat(full))?.stat.isDirectory() === true;
    const dest = destDirLike ? full : await lowers.resolve(plan.dest, true);
    /** Makes the parents of `p` in the staging dir, mirroring the image's existing dirs. */
    const parents = async (p: string): Promise<void> => {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) await dir(`/${parts.slice(0, i).join('/')}`, undefined);
    };
    const made = new Set<string>();
    const dir = async (p: string, mode: number | undefined, own?: { uid: number; gid: number }): Promise<void> => {
      if (made.has(p)) return;
      made.add(p);
      const abs = join(stage, p);
      await mkdir(abs, { recursive: true });
      const lower = mode === undefined || own === undefined ? await lowers.lstat(p) : undefined;
      const m = mode ?? (lower?.stat.isDirectory() ? lower.stat.mode & 0o7777 : 0o755);
      const o = own ?? (lower?.stat.isDirectory() ? { uid: lower.stat.uid, gid: lower.stat.gid } : { uid: 0, gid: 0 });
      await chmod(abs, m);
      await chown(abs, o.uid, o.gid);
    };
    const file = async (src: SourceEntry, target: string): Promise<void> => {
      await parents(target);
      const abs = join(stage, target);
      await rm(abs, { recursive: true, force: true });
      if (src.stat.isSymbolicLink()) {
        await symlink(await readlink(src.abs), abs);
        await lchown(abs, owner.uid, owner.gid);
        await lutimes(abs, src.stat.atime, src.stat.mtime);
        return;
      }
      await copyFile(src.abs, abs);
      await chmod(abs, plan.chmod ?? src.stat.mode & 0o7777);
      await chown(abs, owner.uid, owner.gid);
      await utimes(abs, src.stat.atime, src.stat.mtime);
    };
    const tree = async (src: SourceEntry, target: string): Promise<void> => {
      await parents(target);
      await dir(target, plan.chmod ?? undefined, plan.owner);
      for await (const c of walkSource(plan.fs, src)) {
        const t = posix.join(target, c.sub);
        if (c.stat.isDirectory()) await dir(t, plan.chmod ?? c.stat.mode & 0o7777, owner);
        else if (c.stat.isFile() || c.stat.isSymbolicLink()) await file(c, t);
      }
    };
    await parents(destDirLike ? posix.join(dest, 'x') : dest);
    for (const e of entries) {
      if (e.stat.isDirectory()) await tree(e, dest);
      else if (plan.add && e.stat.isFile() && (await archiveKind(e.abs)) === 'tar') {
        await dir(dest, undefined);
        await unpackLayer(decompress(createReadStream(e.abs)), join(stage, dest), { what: `${plan.what}: archive ${e.rel}` });
      } else if (e.stat.isFile() || e.stat.isSymbolicLink()) await file(e, destDirLike ? posix.join(dest, posix.basename(e.rel)) : dest);
    }
    for (const h of plan.inline) {
      const target = destDirLike ? posix.join(dest, h.name) : dest;
      await parents(target);
      const abs = join(stage, target);
      await writeFile(abs, h.content);
      await chmod(abs, plan.chmod ?? 0o644);
      await chown(abs, owner.uid, owner.gid);
    }
    return await addLayer(store, upperDirTar(stage, [], ops), plan.what);
  } finally {
    ops.close();
    await rm(stage, { recursive: true, force: true });
  }
}

/** An empty directory (WORKDIR that does not exist yet) as a layer. */
export async function mkdirLayer(store: ImageStore, lowers: LayeredFs, path: string, owner: { uid: number; gid: number } | undefined, what: string): Promise<BuiltLayer> {
  const stage = tmpName(store, 'build-dir');
  const ops = new LayerOps();
  try {
    const parts = (await lowers.resolve(path)).split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = `/${parts.slice(0, i).join('/')}`;
      const abs = join(stage, p);
      await mkdir(abs, { recursive: true });
      const lower = await lowers.lstat(p);
      const own = i === parts.length && owner ? owner : lower?.stat.isDirectory() ? { uid: lower.stat.uid, gid: lower.stat.gid } : { uid: 0, gid: 0 };
      await chmod(abs, lower?.stat.isDirectory() ? lower.stat.mode & 0o7777 : 0o755);
      await chown(abs, own.uid, own.gid);
    }
    return await addLayer(store, upperDirTar(stage, [], ops), what);
  } finally {
    ops.close();
    await rm(stage, { recursive: true, force: true });
  }
}
