// A command run as on a machine without zlib's and/or OpenSSL's development files (headers
// and static libraries): in a private mount namespace the TEST makes (`unshare -m`, private
// propagation: nothing reaches the host), an empty directory is bind-mounted over each
// header directory and an empty file over each header and static library. The shared
// libraries' dev symlinks (libz.so, libcrypto.so) stay: a bind mount over a symlink would
// cover its target, the runtime library itself; without the headers nothing compiles
// against them anyway.
import { execFileSync, spawnSync } from 'node:child_process';

/** zlib: every gzip inflater berth-unpack can use (zlib1g-dev, and ISA-L's libisal-dev); openssl: libssl-dev. */
export type DevPackage = 'zlib' | 'openssl';

const multiarch = (): string => {
  try {
    return execFileSync('cc', ['-print-multiarch'], { encoding: 'utf8' }).trim();
  } catch {
    return 'x86_64-linux-gnu';
  }
};

/** What each package's development files are (Debian's zlib1g-dev and libisal-dev, libssl-dev). */
function devFiles(pkg: DevPackage): { dirs: string[]; files: string[] } {
  const arch = multiarch();
  return pkg === 'zlib'
    ? { dirs: ['/usr/include/isa-l'], files: ['/usr/include/zlib.h', '/usr/include/zconf.h', `/usr/lib/${arch}/libz.a`, '/usr/include/isa-l.h', `/usr/lib/${arch}/libisal.a`] }
    : { dirs: ['/usr/include/openssl', `/usr/include/${arch}/openssl`], files: [`/usr/lib/${arch}/libcrypto.a`, `/usr/lib/${arch}/libssl.a`] };
}

const HIDE = `set -e
empty=$(mktemp -d); mkdir "$empty/dir"; : > "$empty/file"
for d in $HIDE_DIRS; do if [ -d "$d" ] && [ ! -L "$d" ]; then mount --bind "$empty/dir" "$d"; fi; done
for f in $HIDE_FILES; do if [ -f "$f" ] && [ ! -L "$f" ]; then mount --bind "$empty/file" "$f"; fi; done
exec "$@"`;

/** [command, ...args] that runs `argv` with `hidden`'s development files hidden. */
export function withoutDevFiles(hidden: readonly DevPackage[], argv: readonly string[]): string[] {
  const dirs = hidden.flatMap((p) => devFiles(p).dirs);
  const files = hidden.flatMap((p) => devFiles(p).files);
  return ['unshare', '-m', 'env', `HIDE_DIRS=${dirs.join(' ')}`, `HIDE_FILES=${files.join(' ')}`, 'sh', '-c', HIDE, 'hide', ...argv];
}

/** Why hiding cannot work here (no unshare, or no private mount namespace allowed), or undefined. */
export function cannotHide(): string | undefined {
  const r = spawnSync('unshare', ['-m', 'true']);
  return r.status === 0 ? undefined : `unshare -m fails (${r.error?.message ?? r.stderr.toString().trim()})`;
}
