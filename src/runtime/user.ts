// `user` as compose gives it (uid, uid:gid, name, name:group), resolved from the image's
// /etc/passwd and /etc/group as the container sees them: symlinks resolved inside the
// image, a regular file of bounded size only (`-> /dev/zero` or `-> /etc/shadow` on the
// host are never opened).
import { BerthError } from '../errors.js';
import { LayerStack } from '../util/safe-path/index.js';
import type { UserSpec } from './types.js';
import { checkUserIds } from '../util/user-ids.js';

/** Larger passwd/group files are refused (they are a few KiB in real images). */
export const USER_DB_MAX_BYTES = 4 << 20;

/** The image's `/etc/passwd` or `/etc/group` ('' when absent); layers top first. */
export function readUserDb(layers: readonly string[], file: '/etc/passwd' | '/etc/group'): string {
  if (layers.length === 0) return '';
  return new LayerStack(layers).readFile(file, USER_DB_MAX_BYTES, `the image's ${file}`)?.toString('utf8') ?? '';
}

export function resolveUser(layers: readonly string[], spec: string | undefined): UserSpec {
  if (spec === undefined || spec === '') return { uid: 0, gid: 0 };
  const [u = '', g] = spec.split(':');
  const passwd = readUserDb(layers, '/etc/passwd')
    .split('\n')
    .map((l) => l.split(':'));
  const groups = readUserDb(layers, '/etc/group')
    .split('\n')
    .map((l) => l.split(':'));
  let uid: number;
  let gid: number | undefined;
  let name: string | undefined;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const row = passwd.find((r) => r[2] === u);
    name = row?.[0];
    gid = row ? Number(row[3]) : undefined;
  } else {
    const row = passwd.find((r) => r[0] === u);
    if (!row) throw new BerthError('runtime/unknown-user', `unable to find user ${u}: no matching entries in passwd file`);
    uid = Number(row[2]);
    gid = Number(row[3]);
    name = u;
  }
  if (g !== undefined) {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const row = groups.find((r) => r[0] === g);
      if (!row) throw new BerthError('runtime/unknown-group', `unable to find group ${g}: no matching entries in group file`);
      gid = Number(row[2]);
    }
  }
  const additionalGids = name
    ? groups
        .filter((r) => (r[3] ?? '').split(',').includes(name!))
        .map((r) => Number(r[2]))
        .filter((x) => x !== gid)
    : [];
  return checkUserIds(`user ${JSON.stringify(spec)}`, { uid, gid: gid ?? 0, additionalGids });
}
