// Read-only view of an image's rootfs from its unpacked layer dirs (top first), the way
// overlayfs merges them: a 0:0 char device is a whiteout, an opaque dir hides lower
// layers. Used for `COPY --from=stage` sources and for the owner/mode of existing parent
// dirs of a COPY destination. No mount is made.
import type { Stats } from 'node:fs';
import type { LayerOps } from '../image/index.js';
const { lstat, readdir, readlink } = process.getBuiltinModule('node:fs/promises');
const { join, posix } = process.getBuiltinModule('node:path');

export interface Found {
  /** Host path of the entry in the layer that provides it. */
  readonly abs: string;
  readonly stat: Stats;
}

const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

async function tryLstat(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch {
    return undefined;
  }
}

export class LayeredFs {
  readonly layers: readonly string[];
  private readonly ops: LayerOps | undefined;

  constructor(layers: readonly string[], ops?: LayerOps) {
    this.layers = layers;
    this.ops = ops;
  }

  private async opaque(p: string): Promise<boolean> {
    if (!this.ops) return false;
    return (await this.ops.getXattr(p, 'trusted.overlay.opaque').catch(() => undefined))?.toString() === 'y';
  }

  /** The entry at absolute `path` (no symlink following), or undefined. */
  async lstat(path: string): Promise<Found | undefined> {
    const rel = posix.normalize(`/${path}`).slice(1);
    const parts = rel === '' ? [] : rel.split('/');
    for (const layer of this.layers) {
      let hidden = false;
      let stop = false;
      // an ancestor that is a whiteout hides the path; an opaque ancestor ends the search
      for (let i = 1; i < parts.length; i++) {
        const a = join(layer, ...parts.slice(0, i));
        const st = await tryLstat(a);
        if (!st) break;
        if (isWhiteout(st) || !st.isDirectory()) {
          hidden = true;
          break;
        }
        if (await this.opaque(a)) stop = true;
      }
      if (hidden) return undefined;
      const abs = join(layer, ...parts);
      const st = await tryLstat(abs);
      if (st) return isWhiteout(st) ? undefined : { abs, stat: st };
      if (stop) return undefined;
    }
    return undefined;
  }

  /**
   * `path` with symlinks in the image resolved (inside the image's root, as the kernel would
   * in a chroot): every component, or all but the last with `keepLast`. `/bin/x` on a merged-
   * /usr image is `/usr/bin/x`.
   */
  async resolve(path: string, keepLast = false): Promise<string> {
    const todo = posix.normalize(`/${path}`).split('/').filter(Boolean);
    const done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '..') {
        done.pop();
        continue;
      }
      if (name === '.') continue;
      const cur = `/${[...done, name].join('/')}`;
      const found = keepLast && todo.length === 0 ? undefined : await this.lstat(cur);
      if (found?.stat.isSymbolicLink()) {
        if (++hops > 40) return `/${[...done, name, ...todo].join('/')}`;
        const target = await readlink(found.abs);
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...target.split('/').filter(Boolean));
        continue;
      }
      done.push(name);
    }
    return `/${done.join('/')}`;
  }

  /** Names in directory `path`, merged over the layers, sorted. */
  async readdir(path: string): Promise<string[]> {
    const rel = posix.normalize(`/${path}`).slice(1);
    const names = new Set<string>();
    const gone = new Set<string>();
    for (const layer of this.layers) {
      const dir = join(layer, rel);
      const st = await tryLstat(dir);
      if (!st) continue;
      if (!st.isDirectory()) break;
      for (const n of await readdir(dir)) {
        if (gone.has(n) || names.has(n)) continue;
        const e = await tryLstat(join(dir, n));
        if (e && isWhiteout(e)) gone.add(n);
        else names.add(n);
      }
      if (await this.opaque(dir)) break;
    }
    return [...names].sort();
  }
}
