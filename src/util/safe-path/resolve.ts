/**
 * Walking a path that untrusted content controls, one component at a time from an fd
 * (see dir.ts), in the two ways the kernel's openat2 offers:
 * - `walkBeneath` (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): no `..`, no absolute path, and
 *   any symlink on the way is refused. For writing: a destination is never written through
 *   a symlink, whoever planted it.
 * - `resolveInRoot` (RESOLVE_IN_ROOT): symlinks are followed, but inside the root, as the
 *   kernel does in a chroot (`/etc` in a link means `<root>/etc`, `..` stops at the root).
 *   For reading a path as a container or a build context sees it.
 */
import { BerthError, errnoCode } from '../../errors.js';
import { SafeDir } from './dir.js';

const MAX_HOPS = 40;

/** A path's components, `.` and empty ones dropped (`..` kept). */
export const components = (path: string): string[] => path.split('/').filter((p) => p !== '' && p !== '.');

export function unsafePath(what: string, why: string): BerthError {
  return new BerthError('fs/unsafe-path', `${what}: ${why}; refused`, {
    hint: 'the content names a path that leaves its root or passes a symlink; nothing outside was touched',
  });
}

export interface WalkOptions {
  /** Names the object in errors (`cp web:/data`, `build context`). */
  readonly what: string;
  /** What the path is, in errors (default: the path quoted): `tar entry "d/x/file"`. */
  readonly subject?: string;
  /** Create missing directories with this mode (else a missing one throws ENOENT). */
  readonly create?: number;
  /** Called with each directory created (its parent and name). */
  readonly onCreate?: (parent: SafeDir, name: string) => void;
}

/** Opens the directory `parts` below `root` (a new fd the caller closes); no symlink, no `..`. */
export function walkBeneath(root: SafeDir, parts: readonly string[], o: WalkOptions): SafeDir {
  let cur = root.reopen();
  let shown = '';
  const subject = o.subject ?? `"${parts.join('/')}"`;
  try {
    for (const name of parts) {
      if (name === '..') throw unsafePath(o.what, `${subject} has a ".." component`);
      shown = shown ? `${shown}/${name}` : name;
      const st = cur.lstat(name);
      if (st?.isSymbolicLink()) throw unsafePath(o.what, `${subject} would pass through the symlink "${shown}"`);
      if (st && !st.isDirectory()) throw unsafePath(o.what, `${subject} has the non-directory "${shown}" as a parent`);
      if (!st && o.create === undefined) throw Object.assign(new Error(`${shown}: no such directory`), { code: 'ENOENT' });
      const next = st ? openNoFollow(cur, name, o.what, shown) : cur.ensureDir(name, o.create);
      if (!st) o.onCreate?.(cur, name);
      cur.close();
      cur = next;
    }
    return cur;
  } catch (err) {
    cur.close();
    throw err;
  }
}

function openNoFollow(dir: SafeDir, name: string, what: string, shown: string): SafeDir {
  try {
    return dir.openDir(name);
  } catch (err) {
    // swapped for a symlink or a file since the lstat: refuse, never follow
    if (errnoCode(err) === 'ENOTDIR' || errnoCode(err) === 'ELOOP') throw unsafePath(what, `"${shown}" changed into a symlink or a file while it was walked`);
    throw err;
  }
}

export interface Resolved {
  /** The directory holding the last component (a new fd the caller closes). */
  readonly dir: SafeDir;
  /** The last component, or undefined when the path is the root itself. */
  readonly name: string | undefined;
  /** The resolved path inside the root, `/`-rooted. */
  readonly path: string;
}

/**
 * Resolves `path` inside `root` as a chroot would: every symlink on the way (and the last
 * component too with `followLast`) is read and resolved inside the root. The last component
 * need not exist. A missing or non-directory parent throws ENOENT/ENOTDIR.
 */
export function resolveInRoot(root: SafeDir, path: string, o: { readonly what: string; readonly followLast?: boolean }): Resolved {
  const todo = components(path);
  const stack: SafeDir[] = [];
  const done: string[] = [];
  let cur = root.reopen();
  let hops = 0;
  const finish = (r: Resolved): Resolved => {
    for (const d of stack.splice(0)) d.close();
    return r;
  };
  try {
    for (;;) {
      const name = todo.shift();
      if (name === undefined) return finish({ dir: cur, name: undefined, path: `/${done.join('/')}` });
      if (name === '..') {
        const up = stack.pop();
        if (up) {
          cur.close();
          cur = up;
          done.pop();
        }
        continue;
      }
      const last = todo.length === 0;
      const st = cur.lstat(name);
      if (st?.isSymbolicLink() && (!last || o.followLast === true)) {
        if (++hops > MAX_HOPS) throw unsafePath(o.what, `"${path}" has too many levels of symlinks`);
        const target = cur.readlink(name);
        todo.unshift(...components(target));
        if (target.startsWith('/')) {
          for (const d of stack.splice(0)) d.close();
          cur.close();
          cur = root.reopen();
          done.length = 0;
        }
        continue;
      }
      if (last) return finish({ dir: cur, name, path: `/${[...done, name].join('/')}` });
      if (!st) throw Object.assign(new Error(`${[...done, name].join('/')}: no such file or directory`), { code: 'ENOENT' });
      if (!st.isDirectory()) throw Object.assign(new Error(`${[...done, name].join('/')}: not a directory`), { code: 'ENOTDIR' });
      const next = openNoFollow(cur, name, o.what, [...done, name].join('/'));
      stack.push(cur);
      cur = next;
      done.push(name);
    }
  } catch (err) {
    for (const d of stack) d.close();
    cur.close();
    throw err;
  }
}
