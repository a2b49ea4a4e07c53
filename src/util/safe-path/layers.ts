// An image's rootfs seen through its unpacked layer dirs (top first) without a mount, the
// way overlayfs merges them (a 0:0 char device is a whiteout; a non-directory hides the
// layers below it), with every path resolved inside the image as the container would see
// it. Opaque directories (an xattr Node cannot read) are not honoured: a lower layer may
// show through one. Layer dirs are berth's own store, written once by the unpacker.
import type { Stats } from 'node:fs';
import { SafeDir, using } from './dir.js';
import { readCapped } from './read.js';
import { components, unsafePath, walkBeneath } from './resolve.js';

const MAX_HOPS = 40;
export const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

export interface LayerEntry {
  /** Index of the layer (top first) that provides the entry. */
  readonly layer: number;
  readonly stat: Stats;
}

export class LayerStack {
  readonly layers: readonly string[];

  constructor(layers: readonly string[]) {
    this.layers = layers;
  }

  /** The parent dir of `parts` in layer `i` (new fd) or why not: absent, or hidden from lower layers. */
  private parent(i: number, parts: readonly string[]): SafeDir | 'absent' | 'hidden' {
    let cur = SafeDir.open(this.layers[i]!);
    for (const name of parts.slice(0, -1)) {
      const next = using(cur, (d) => {
        const st = d.lstat(name);
        if (!st) return 'absent';
        return st.isDirectory() ? d.openDir(name) : 'hidden';
      });
      if (typeof next === 'string') return next;
      cur = next;
    }
    return cur;
  }

  /** The entry at the in-image path (no symlink followed), or undefined. */
  find(path: string): LayerEntry | undefined {
    const parts = components(path);
    if (parts.length === 0) return { layer: this.layers.length - 1, stat: using(SafeDir.open(this.layers.at(-1)!), (d) => d.stat()) };
    for (let i = 0; i < this.layers.length; i++) {
      const dir = this.parent(i, parts);
      if (dir === 'hidden') return undefined;
      if (dir === 'absent') continue;
      const st = using(dir, (d) => d.lstat(parts.at(-1)!));
      if (st) return isWhiteout(st) ? undefined : { layer: i, stat: st };
    }
    return undefined;
  }

  /** Runs `f` in the parent directory of `path` in layer `i` (the path has no symlinks there). */
  private inParent<T>(i: number, path: string, f: (d: SafeDir, name: string) => T): T {
    const parts = components(path);
    const dir = this.parent(i, parts);
    if (typeof dir === 'string') throw Object.assign(new Error(`${path}: no such file or directory`), { code: 'ENOENT' });
    return using(dir, (d) => f(d, parts.at(-1)!));
  }

  /**
   * `path` with the image's symlinks resolved inside the image (as in a chroot): every
   * component, the last one too with `followLast`.
   */
  resolve(path: string, followLast: boolean, what: string): string {
    const todo = components(path);
    const done: string[] = [];
    let hops = 0;
    for (let name = todo.shift(); name !== undefined; name = todo.shift()) {
      if (name === '..') {
        done.pop();
        continue;
      }
      const cur = `/${[...done, name].join('/')}`;
      const found = todo.length > 0 || followLast ? this.find(cur) : undefined;
      if (found?.stat.isSymbolicLink()) {
        if (++hops > MAX_HOPS) throw unsafePath(what, `"${path}" has too many levels of symlinks`);
        const target = this.inParent(found.layer, cur, (d, n) => d.readlink(n));
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...components(target));
        continue;
      }
      done.push(name);
    }
    return `/${done.join('/')}`;
  }

  /** The file at `path` as the container reads it: a regular file of at most `max` bytes, or undefined when absent. */
  readFile(path: string, max: number, what: string): Buffer | undefined {
    const real = this.resolve(path, true, what);
    const found = this.find(real);
    if (!found) return undefined;
    return this.inParent(found.layer, real, (d, n) => readCapped(d, n, max, what));
  }

  /** The layers (bottom first) in which the resolved `path` is a real directory, each opened. */
  directories(path: string, what: string): SafeDir[] {
    const parts = components(path);
    const out: SafeDir[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      try {
        out.push(using(SafeDir.open(this.layers[i]!), (root) => walkBeneath(root, parts, { what })));
      } catch {
        // not a directory in this layer (absent, a file, or behind a symlink): nothing to copy from it
      }
    }
    return out;
  }
}
