// uid/gid range: the kernel takes 32-bit ids, but (uid_t)-1 means "leave unchanged" to
// setresuid/setresgid (4294967295 would leave the process root), and Docker/runc refuse
// ids above 2^31-1. Checked where user specs are parsed (engine, runtime) and again for
// every shim config (the shim refuses them too).
import { BerthError } from '../errors.js';

export const MAX_ID = 2 ** 31 - 1;

const inRange = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && n <= MAX_ID;

interface Ids {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
}

/** Returns `user` unchanged, or throws `runtime/invalid-user` naming `owner` ("container x", "user \"1:2\""). */
export function checkUserIds<T extends Ids | undefined>(owner: string, user: T): T {
  if (!user) return user;
  const ids: [string, number][] = [['uid', user.uid], ['gid', user.gid], ...(user.additionalGids ?? []).map((g): [string, number] => ['gid', g])];
  for (const [kind, n] of ids) {
    if (!inRange(n)) throw new BerthError('runtime/invalid-user', `${owner}: ${kind} ${n} is out of range (0 to ${MAX_ID})`);
  }
  return user;
}
