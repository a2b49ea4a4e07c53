// mergedTar: the filesystem an overlay of layer dirs shows (top first), as one plain tar
// (`export`): a name comes from the highest layer that has it, a whiteout (0:0 char device)
// or a non-directory hides it in the layers below, an opaque directory
// (trusted.overlay.opaque=y) hides the lower directories' content. Walked fd-relative, never
// following a symlink: a running container may change its upper dir meanwhile.
import { isWhiteout, SafeDir } from '../util/safe-path/index.js';
import { entryTar } from './commit.js';
import { LayerOps } from './layer-ops.js';
import { TAR_END } from './tar-writer.js';
import { compareText } from '../util/compare.js';

export async function* mergedTar(layers: readonly string[]): AsyncGenerator<Buffer> {
  const ops = new LayerOps();
  const inodes = new Map<string, string>();
  async function* walk(dirs: readonly SafeDir[], rel: string): AsyncGenerator<Buffer> {
    const first = new Map<string, number>();
    dirs.forEach((d, i) => {
      for (const name of d.list()) if (!first.has(name)) first.set(name, i);
    });
    for (const [name, i] of [...first].sort(([a], [b]) => compareText(a, b))) {
      const dir = dirs[i]!;
      const st = dir.lstat(name);
      if (!st || isWhiteout(st)) continue;
      const r = rel ? `${rel}/${name}` : name;
      yield* entryTar(dir, name, r, st, ops, inodes, 'image/export-failed');
      if (!st.isDirectory()) continue;
      const subs = [dir.openDir(name)];
      try {
        const opaque = (await ops.getXattr(dir.atForHelper(name), 'trusted.overlay.opaque'))?.toString() === 'y';
        for (let j = i + 1; j < dirs.length && !opaque; j++) {
          const below = dirs[j]!.lstat(name);
          if (!below) continue;
          if (!below.isDirectory()) break; // a file or whiteout hides the layers under it
          subs.push(dirs[j]!.openDir(name));
        }
        yield* walk(subs, r);
      } finally {
        for (const d of subs) d.close();
      }
    }
  }
  const roots: SafeDir[] = [];
  try {
    for (const l of layers) roots.push(SafeDir.open(l));
    yield* walk(roots, '');
    yield TAR_END;
  } finally {
    for (const d of roots) d.close();
    ops.close();
  }
}
