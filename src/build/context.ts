// The build context: a directory filtered by `.dockerignore`. COPY/ADD sources are matched
// here (wildcards per path segment, never outside the context) and hashed by content for the
// cache key. A second kind of source, another stage's rootfs (`--from`), is a LayeredFs.
// The context is a root, as in BuildKit: its symlinks resolve inside it (`leak -> /etc` is
// `<context>/etc`), never on the host (util/safe-path).
import type { Stats } from 'node:fs';
import { errnoCode } from '../errors.js';
import { loadDockerignore } from '../util/dockerignore.js';
import { globToRegExp } from '../util/glob.js';
import { SafeDir, resolveInRoot, using } from '../util/safe-path/index.js';
import type { LayeredFs } from './layered-fs.js';
import { compareText } from '../util/compare.js';
const { createHash } = process.getBuiltinModule('node:crypto');
const { createReadStream } = process.getBuiltinModule('node:fs');
const { readlink } = process.getBuiltinModule('node:fs/promises');
const { join, posix } = process.getBuiltinModule('node:path');

/** Where COPY reads from: the context dir, or a stage/image rootfs. */
export interface SourceFs {
  /** `context` or `stage NAME`. */
  readonly label: string;
  lstat(path: string): Promise<{ abs: string; stat: Stats } | undefined>;
  /** Like lstat, but a symlink at `path` is followed (inside the fs); only where BuildKit follows one. */
  follow?(path: string): Promise<{ abs: string; stat: Stats } | undefined>;
  readdir(path: string): Promise<string[]>;
  /** True when `path` (relative, slash-separated) is excluded. */
  ignored(path: string): boolean;
  /** Can something under the excluded dir `path` be re-included? */
  reinclude(path: string): boolean;
}

/**
 * The context `dir` filtered by the ignore file BuildKit picks: `<dockerfile>.dockerignore`
 * next to the Dockerfile, else `<dir>/.dockerignore` (`dockerfile` undefined for an inline one).
 */
export async function contextFs(dir: string, dockerfile: string | undefined): Promise<SourceFs> {
  const { matcher } = await loadDockerignore(dir, dockerfile);
  const what = 'build context';
  /** `path` resolved inside the context; abs is a host path with no symlink left in it. */
  const find = (path: string, followLast: boolean): { abs: string; stat: Stats } | undefined => {
    try {
      return using(SafeDir.open(dir), (root) => {
        const r = resolveInRoot(root, path, { what, followLast });
        return using(r.dir, (d) => {
          const stat = r.name === undefined ? d.stat() : d.lstat(r.name);
          return stat && { abs: join(dir, r.path), stat };
        });
      });
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes(errnoCode(err) ?? '')) return undefined;
      throw err;
    }
  };
  return {
    label: what,
    lstat: async (path) => find(path, false),
    follow: async (path) => find(path, true),
    async readdir(path) {
      return using(SafeDir.open(dir), (root) => {
        const r = resolveInRoot(root, path, { what, followLast: true });
        return using(r.dir, (d) => (r.name === undefined ? d.list() : using(d.openDir(r.name), (sub) => sub.list())));
      });
    },
    ignored: (p) => p !== '' && matcher.matches(p),
    reinclude: (p) => matcher.mayReinclude(p),
  };
}

/** A stage's or image's rootfs: symlinked parent dirs are followed inside the image. */
export function layeredSource(label: string, fs: LayeredFs): SourceFs {
  return {
    label,
    lstat: async (p) => fs.lstat(await fs.resolve(p, true)),
    readdir: async (p) => fs.readdir(await fs.resolve(p)),
    ignored: () => false,
    reinclude: () => false,
  };
}

export interface SourceEntry {
  /** Path inside the source fs, slash-separated, no leading slash ('' = root). */
  readonly rel: string;
  readonly abs: string;
  readonly stat: Stats;
}

const WILD = /[*?[]/;

/** The entries a COPY source names (wildcards expanded), sorted; [] when nothing matches. */
export async function matchSource(fs: SourceFs, source: string): Promise<SourceEntry[]> {
  const clean = posix.normalize(`/${source}`).slice(1).replace(/\/+$/, '');
  const parts = clean === '' ? [] : clean.split('/');
  let current: string[] = [''];
  for (const part of parts) {
    const next: string[] = [];
    for (const base of current) {
      if (!WILD.test(part)) {
        next.push(base ? `${base}/${part}` : part);
        continue;
      }
      const re = globToRegExp(part);
      let names: string[] = [];
      try {
        names = await fs.readdir(base);
      } catch {
        names = [];
      }
      for (const n of names) if (re.test(n)) next.push(base ? `${base}/${n}` : n);
    }
    current = next;
  }
  const out: SourceEntry[] = [];
  for (const rel of current) {
    if (fs.ignored(rel) && !((await isDir(fs, rel)) && fs.reinclude(rel))) continue;
    const found = await fs.lstat(rel);
    if (!found) continue;
    // a source named directly is followed when it is a symlink (inside the context; one
    // that leads nowhere there, `leak -> /etc` with no <context>/etc, is a missing source)
    const target = found.stat.isSymbolicLink() && fs.follow ? await fs.follow(rel) : found;
    if (target) out.push({ rel, ...target });
  }
  return out.sort((a, b) => compareText(a.rel, b.rel));
}

async function isDir(fs: SourceFs, rel: string): Promise<boolean> {
  return (await fs.lstat(rel))?.stat.isDirectory() === true;
}

/** Every entry under a directory source (not the dir itself), depth first, sorted, filtered. */
export async function* walkSource(fs: SourceFs, root: SourceEntry): AsyncGenerator<SourceEntry & { readonly sub: string }> {
  async function* walk(rel: string, sub: string): AsyncGenerator<SourceEntry & { readonly sub: string }> {
    for (const name of await fs.readdir(rel)) {
      const r = rel ? `${rel}/${name}` : name;
      const s = sub ? `${sub}/${name}` : name;
      const found = await fs.lstat(r);
      if (!found) continue;
      const dir = found.stat.isDirectory();
      if (fs.ignored(r)) {
        if (dir && fs.reinclude(r)) yield* walk(r, s);
        continue;
      }
      yield { rel: r, abs: found.abs, stat: found.stat, sub: s };
      if (dir) yield* walk(r, s);
    }
  }
  if (root.stat.isDirectory()) yield* walk(root.rel, '');
}

async function hashFile(h: ReturnType<typeof createHash>, abs: string): Promise<void> {
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
}

/** Content hash of sources: names, types, modes, link targets, file bytes (not times, not owners). */
export async function hashSources(fs: SourceFs, entries: readonly SourceEntry[]): Promise<string> {
  const h = createHash('sha256');
  const one = async (e: SourceEntry, sub: string): Promise<void> => {
    const st = e.stat;
    h.update(`${sub}\0${st.mode.toString(8)}\0`);
    if (st.isSymbolicLink()) h.update(`l${await readlink(e.abs)}\0`);
    else if (st.isFile()) {
      h.update(`f${st.size}\0`);
      await hashFile(h, e.abs);
    } else h.update('d\0');
  };
  for (const e of entries) {
    await one(e, e.rel);
    for await (const c of walkSource(fs, e)) await one(c, `${e.rel}/${c.sub}`);
  }
  return h.digest('hex');
}
