// COPY / ADD: the sources are laid out in a staging dir exactly as they will appear in the
// image (parents that exist in the image keep their owner and mode), then the staging dir
// becomes one layer through the image store (addLayer). ADD extracts local tar archives
// (plain, gzip, zstd); URLs are refused by the caller. The staging dir is written only
// fd-relative and never through a symlink (util/safe-path): a symlink that an earlier
// source or an ADDed archive placed there is refused as a parent, and replaced as a leaf.
import { BerthError } from '../errors.js';
import { upperDirTar, decompress, addLayer, type BuiltLayer, LayerOps, tmpName, type ImageStore, unpackLayer } from '../image/index.js';
import { SafeDir, components, copyOpenFile, fdPath, using, walkBeneath } from '../util/safe-path/index.js';
import { matchSource, walkSource, type SourceEntry, type SourceFs } from './context.js';
import type { LayeredFs } from './layered-fs.js';
const { chmodSync, chownSync, closeSync, constants, createReadStream, openSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { chmod, chown, mkdir, open, readlink, rm } = process.getBuiltinModule('node:fs/promises');
const { join, posix } = process.getBuiltinModule('node:path');

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
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68)
    throw new BerthError('build/unsupported', 'bzip2 archives are not supported by ADD', { hint: 'use a .tar, .tar.gz or .tar.zst archive' });
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))
    throw new BerthError('build/unsupported', 'xz archives are not supported by ADD', { hint: 'use a .tar, .tar.gz or .tar.zst archive' });
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
  const stagePath = tmpName(store, 'build-copy');
  await mkdir(stagePath, { recursive: true });
  const stage = SafeDir.open(stagePath);
  const ops = new LayerOps();
  try {
    const owner = plan.owner ?? { uid: 0, gid: 0 };
    // symlinks in the image are followed (a merged-/usr image's /bin is /usr/bin)
    const full = await lowers.resolve(plan.dest);
    const destDirLike = plan.dest.endsWith('/') || entries.length + plan.inline.length > 1 || (await lowers.lstat(full))?.stat.isDirectory() === true;
    const dest = destDirLike ? full : await lowers.resolve(plan.dest, true);
    /** The staged directory `p` (an fd the caller closes); parents must exist; never a symlink. */
    const at = (p: string): SafeDir => walkBeneath(stage, components(p), { what: plan.what, subject: `the destination ${p}` });
    /** Makes the parents of `p` in the staging dir, mirroring the image's existing dirs. */
    const parents = async (p: string): Promise<void> => {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) await dir(`/${parts.slice(0, i).join('/')}`, undefined);
    };
    const made = new Set<string>();
    const dir = async (p: string, mode: number | undefined, own?: { uid: number; gid: number }): Promise<void> => {
      if (made.has(p)) return;
      made.add(p);
      const lower = mode === undefined || own === undefined ? await lowers.lstat(p) : undefined;
      const m = mode ?? (lower?.stat.isDirectory() ? lower.stat.mode & 0o7777 : 0o755);
      const o = own ?? (lower?.stat.isDirectory() ? { uid: lower.stat.uid, gid: lower.stat.gid } : { uid: 0, gid: 0 });
      using(walkBeneath(stage, components(p), { what: plan.what, subject: `the destination ${p}`, create: 0o755 }), (d) => {
        // the fd's magic link reaches the very directory walked above
        chmodChown(fdPath(d.fd), m, o);
      });
    };
    /** Runs `f` in the staged parent of `target` with its last component. */
    const inParent = <T>(target: string, f: (d: SafeDir, name: string) => T): T => using(at(posix.dirname(target)), (d) => f(d, posix.basename(target)));
    const file = async (src: SourceEntry, target: string): Promise<void> => {
      await parents(target);
      const link = src.stat.isSymbolicLink() ? await readlink(src.abs) : undefined;
      inParent(target, (d, name) => {
        d.remove(name);
        if (link !== undefined) {
          d.symlink(link, name);
          d.setMeta(name, { uid: owner.uid, gid: owner.gid, atime: src.stat.atime, mtime: src.stat.mtime });
          return;
        }
        const inFd = openSync(src.abs, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          copyOpenFile(inFd, d, name);
        } finally {
          closeSync(inFd);
        }
        d.setMeta(name, { uid: owner.uid, gid: owner.gid, mode: plan.chmod ?? src.stat.mode & 0o7777, atime: src.stat.atime, mtime: src.stat.mtime });
      });
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
        const into = at(dest);
        try {
          // the unpacker writes below the fd's magic link: the directory checked above
          await unpackLayer(decompress(createReadStream(e.abs)), fdPath(into.fd), { what: `${plan.what}: archive ${e.rel}` });
        } finally {
          into.close();
        }
      } else if (e.stat.isFile() || e.stat.isSymbolicLink()) await file(e, destDirLike ? posix.join(dest, posix.basename(e.rel)) : dest);
    }
    for (const h of plan.inline) {
      const target = destDirLike ? posix.join(dest, h.name) : dest;
      await parents(target);
      inParent(target, (d, name) => {
        d.remove(name);
        const out = d.createFile(name);
        try {
          writeFileSync(out, h.content);
        } finally {
          closeSync(out);
        }
        d.setMeta(name, { uid: owner.uid, gid: owner.gid, mode: plan.chmod ?? 0o644 });
      });
    }
    return await addLayer(store, upperDirTar(stagePath, [], ops), plan.what);
  } finally {
    ops.close();
    stage.close();
    await rm(stagePath, { recursive: true, force: true });
  }
}

function chmodChown(path: string, mode: number, own: { uid: number; gid: number }): void {
  chmodSync(path, mode);
  chownSync(path, own.uid, own.gid);
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
