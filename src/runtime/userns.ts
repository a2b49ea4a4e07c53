// `userns: auto`: each container gets its own block of 65536 host ids, from berth's line in
// /etc/subuid and /etc/subgid when there is one, else berth's own range. One lease file per
// block under $BERTH_ROOT/userns/ (exclusive create), released on delete.
import { BerthError, errnoCode } from '../errors.js';
import type { RuntimeContext } from './types.js';
const { mkdirSync, readFileSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { basename, join } = process.getBuiltinModule('node:path');

export const USERNS_BLOCK = 65536;
/** Used when /etc/subuid has no `berth` line: 1000 blocks from 100000000. */
const DEFAULT_RANGE = { start: 100_000_000, size: USERNS_BLOCK * 1000 };

export interface UsernsLease {
  readonly index: number;
  readonly uid: number;
  readonly gid: number;
  readonly file: string;
}

/** `berth:100000:65536` lines of /etc/subuid or /etc/subgid. */
export function subidRange(text: string, user: string): { start: number; size: number } | undefined {
  for (const line of text.split('\n')) {
    const [name, start, size] = line.trim().split(':');
    if (name === user && start && size && /^\d+$/.test(start) && /^\d+$/.test(size)) return { start: Number(start), size: Number(size) };
  }
  return undefined;
}

function range(file: string): { start: number; size: number } {
  try {
    return subidRange(readFileSync(file, 'utf8'), 'berth') ?? DEFAULT_RANGE;
  } catch {
    return DEFAULT_RANGE;
  }
}

export function allocateUserns(rt: RuntimeContext, id: string): UsernsLease {
  const uids = range('/etc/subuid');
  const gids = range('/etc/subgid');
  const blocks = Math.min(Math.floor(uids.size / USERNS_BLOCK), Math.floor(gids.size / USERNS_BLOCK));
  const dir = join(rt.root, 'userns');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < blocks; i++) {
    const file = join(dir, String(i));
    try {
      writeFileSync(file, id, { flag: 'wx' });
      return { index: i, uid: uids.start + i * USERNS_BLOCK, gid: gids.start + i * USERNS_BLOCK, file };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
  }
  throw new BerthError('runtime/userns-exhausted', `container ${id}: no free user namespace range (${blocks} blocks in use)`, {
    hint: 'add a larger `berth:START:SIZE` line to /etc/subuid and /etc/subgid',
  });
}

export function releaseUserns(file: string): void {
  rmSync(file, { force: true });
}

/** The lease a kept container already holds (its rw layer is owned by that range), if still its own. */
export function keptLease(file: string, id: string): UsernsLease | undefined {
  let holder: string;
  try {
    holder = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const index = Number(basename(file));
  if (holder !== id || !Number.isInteger(index)) return undefined;
  const uids = range('/etc/subuid');
  const gids = range('/etc/subgid');
  return { index, uid: uids.start + index * USERNS_BLOCK, gid: gids.start + index * USERNS_BLOCK, file };
}
