// commitLayer: a container's overlay upper dir becomes a new top layer over its image.
// Overlay whiteouts (0:0 char devices) become `.wh.NAME` entries, opaque directories
// (trusted.overlay.opaque=y) get `.wh..wh..opq`; the init layer's files are left out.
import { BerthError } from '../errors.js';
import { applyChanges } from './changes.js';
import { withLease } from './gc.js';
import { addLayer, writeImage } from './image-builder.js';
import { LayerOps } from './layer-ops.js';
import { readImageRecord, type ImageStore } from './store.js';
import { padding, tarHeader, TAR_END, type TarWriteHeader } from './tar-writer.js';
import type { CommitOptions, LocalImage } from './types.js';
import { SafeDir } from '../util/safe-path/index.js';
import type { Stats } from 'node:fs';
import { notInLocalStore } from './errors.js';
const { closeSync, readSync } = process.getBuiltinModule('node:fs');

/** Files the runtime writes per container (the init layer): never committed. */
export const INIT_LAYER_FILES: readonly string[] = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

const major = (rdev: number): number => Number((BigInt(rdev) >> 8n) & 0xfffn) | Number((BigInt(rdev) >> 32n) & ~0xfffn);
const minor = (rdev: number): number => Number(BigInt(rdev) & 0xffn) | Number((BigInt(rdev) >> 12n) & ~0xffn);

/**
 * One entry of `dir` (already lstat'ed) as tar: its header, a regular file's content, a
 * hard link to the first path of an inode seen before. Directories get their header only
 * (the caller walks them). Read fd-relative (util/safe-path): a file swapped for a symlink
 * mid-walk is never followed onto the host.
 */
export async function* entryTar(
  dir: SafeDir,
  name: string,
  r: string,
  st: Stats,
  ops: LayerOps,
  inodes: Map<string, string>,
  failCode: `${string}/${string}` = 'image/commit-failed',
): AsyncGenerator<Buffer> {
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
  const abs = dir.atForHelper(name);
  const xattrs: Record<string, Buffer> = {};
  for (const x of await ops.listXattrs(abs)) {
    if (x.startsWith('trusted.overlay.')) continue;
    const v = await ops.getXattr(abs, x);
    if (v) xattrs[x] = v;
  }
  const h = (extra: Partial<TarWriteHeader> & Pick<TarWriteHeader, 'type'>): Buffer => tarHeader({ name: r, ...base, xattrs, ...extra });
  if (st.isDirectory()) {
    yield h({ type: 'directory', name: `${r}/` });
  } else if (st.isSymbolicLink()) {
    yield h({ type: 'symlink', linkname: dir.readlink(name) });
  } else if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    const first = st.nlink > 1 ? inodes.get(key) : undefined;
    if (first) {
      yield h({ type: 'hardlink', linkname: first });
      return;
    }
    if (st.nlink > 1) inodes.set(key, r);
    const { fd, stat } = dir.openRegular(name);
    try {
      if (stat.ino !== st.ino) throw new BerthError(failCode, `file ${r} was replaced while it was read`);
      yield h({ type: 'file', size: st.size });
      let left = st.size;
      while (left > 0) {
        const buf = Buffer.allocUnsafe(Math.min(left, 1 << 20));
        const bytesRead = readSync(fd, buf, 0, buf.length, null);
        if (bytesRead === 0) throw new BerthError(failCode, `file ${r} shrank while it was read`);
        left -= bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      closeSync(fd);
    }
    yield padding(st.size);
  } else if (st.isFIFO()) {
    yield h({ type: 'fifo' });
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    yield h({ type: st.isCharacterDevice() ? 'char' : 'block', devmajor: major(st.rdev), devminor: minor(st.rdev) });
  }
  // sockets are not part of images (docker drops them too)
}

/** Streams the upper dir as a layer tar (docker's diff format). The container may still run. */
export async function* upperDirTar(upper: string, exclude: readonly string[], ops: LayerOps): AsyncGenerator<Buffer> {
  const skip = new Set(exclude.map((p) => p.replace(/^\/+/, '')));
  const inodes = new Map<string, string>();
  async function* walk(dir: SafeDir, rel: string): AsyncGenerator<Buffer> {
    for (const name of dir.list()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip.has(r)) continue;
      const st = dir.lstat(name);
      if (!st) continue;
      if (st.isCharacterDevice() && st.rdev === 0) {
        yield tarHeader({ name: rel ? `${rel}/.wh.${name}` : `.wh.${name}`, type: 'file', mode: 0o644, size: 0, mtime: Math.floor(st.mtimeMs / 1000) });
        continue;
      }
      yield* entryTar(dir, name, r, st, ops, inodes);
      if (!st.isDirectory()) continue;
      const opaque = await ops.getXattr(dir.atForHelper(name), 'trusted.overlay.opaque');
      if (opaque?.toString() === 'y') yield tarHeader({ name: `${r}/.wh..wh..opq`, type: 'file', mode: 0o644, size: 0, mtime: Math.floor(st.mtimeMs / 1000) });
      const sub = dir.openDir(name);
      try {
        yield* walk(sub, r);
      } finally {
        sub.close();
      }
    }
  }
  const root = SafeDir.open(upper);
  try {
    yield* walk(root, '');
  } finally {
    root.close();
  }
  yield TAR_END;
}

export async function commitLayer(s: ImageStore, o: CommitOptions): Promise<LocalImage> {
  const parent = await readImageRecord(s, o.parent.id);
  if (!parent) throw notInLocalStore(o.parent.id);
  const ops = new LayerOps();
  try {
    return await withLease(s, async () => {
      const layer = await addLayer(s, upperDirTar(o.upperDir, o.exclude ?? INIT_LAYER_FILES, ops), `commit of ${o.upperDir}`);
      const created = new Date().toISOString();
      const parentCfg = JSON.parse((await import('./store.js').then((m) => m.readBlob(s, parent.id))).toString('utf8')) as { history?: Record<string, unknown>[] };
      return writeImage(s, {
        layers: [...parent.layers.map((desc, i) => ({ desc, diffId: parent.diffIds[i]! })), layer],
        config: applyChanges(o.parent.config, o.changes),
        platform: o.parent.platform,
        created,
        ...(o.author ? { author: o.author } : {}),
        history: [...(parentCfg.history ?? []), { created, created_by: 'berth commit', ...(o.comment ? { comment: o.comment } : {}) }],
        ...(o.ref ? { ref: o.ref } : {}),
      });
    });
  } finally {
    ops.close();
  }
}
