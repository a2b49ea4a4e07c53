// Read-only view of an image's rootfs from its unpacked layer dirs (top first), the way
// overlayfs merges them: a 0:0 char device is a whiteout, an opaque dir hides lower
// layers. Used for `COPY --from=stage` sources and for the owner/mode of existing parent
// dirs of a COPY destination. No mount is made.
import { lstat, readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import type { LayerOps } from '../image/layer-ops.js';

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
