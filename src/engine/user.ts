/**
 * `user:` (`uid`, `uid:gid`, `name`, `name:group`) -> numeric ids, names looked up in the
 * image's /etc/passwd and /etc/group (read safely: runtime/user.ts).
 */
import { BerthError } from '../errors.js';
import type { UserSpec } from '../runtime/index.js';
import { checkUserIds } from '../util/user-ids.js';
// user.ts directly, not the index: the engine loads the runtime lazily (adapters/runtime.ts)
import { readUserDb } from '../runtime/index.js';

export function resolveUserSpec(user: string | undefined, layerDirs: readonly string[], service: string): UserSpec | undefined {
  if (user === undefined || user === '') return undefined;
  const [u = '', g] = user.split(':');
  const passwd = readUserDb(layerDirs, '/etc/passwd');
  const group = readUserDb(layerDirs, '/etc/group');
  const pwRows = passwd.split('\n').map((l) => l.split(':'));
  const grRows = group.split('\n').map((l) => l.split(':'));
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const row = pwRows.find((r) => r[2] === u);
    if (row?.[3] !== undefined) gid = Number(row[3]);
  } else {
    const row = pwRows.find((r) => r[0] === u);
    if (!row) throw new BerthError('engine/user-not-found', `service ${service}: user "${u}" not found in the image's /etc/passwd`);
    uid = Number(row[2]);
    gid = Number(row[3]);
  }
  if (g !== undefined) {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const row = grRows.find((r) => r[0] === g);
      if (!row) throw new BerthError('engine/group-not-found', `service ${service}: group "${g}" not found in the image's /etc/group`);
      gid = Number(row[2]);
    }
  }
  return checkUserIds(`service ${service}: user ${JSON.stringify(user)}`, { uid, gid: gid ?? 0 });
}

/** compose `group_add`: numbers as they are, names looked up in the image's /etc/group. */
export function resolveGroupAdd(groups: readonly string[], layerDirs: readonly string[], service: string): number[] {
  if (groups.length === 0) return [];
  const rows = readUserDb(layerDirs, '/etc/group')
    .split('\n')
    .map((l) => l.split(':'));
  return groups.map((g) => {
    if (/^\d+$/.test(g)) return Number(g);
    const row = rows.find((r) => r[0] === g);
    if (!row) throw new BerthError('engine/group-not-found', `service ${service}: group_add: group "${g}" not found in the image's /etc/group`);
    return Number(row[2]);
  });
}

/** The user with `group_add`'s groups as supplementary groups (root when no user is set). */
export function withGroupAdd(user: UserSpec | undefined, groups: readonly number[]): UserSpec | undefined {
  if (groups.length === 0) return user;
  const base = user ?? { uid: 0, gid: 0 };
  return checkUserIds('group_add', { ...base, additionalGids: [...new Set([...(base.additionalGids ?? []), ...groups])] });
}
