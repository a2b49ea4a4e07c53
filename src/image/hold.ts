// Reference counting: a container holds the image it runs on, so rm/prune keep it.
// holds/<image-hex>/<holder> is one empty file per holder (idempotent create/remove).
// Synchronous on purpose: each is one or two tiny syscalls, and an async call queues on the
// libuv pool behind slow kernel writes (a cgroup attach waits an RCU grace period there),
// which put tens of ms on every container create of an `up`.
import { errnoCode, BerthError } from '../errors.js';
import { hexOf } from './digest.js';
import type { ImageStore } from './store.js';
import type { Digest } from './types.js';
const { mkdirSync, rmdirSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { readdir } = process.getBuiltinModule('node:fs/promises');
const { join } = process.getBuiltinModule('node:path');

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function holdDir(s: ImageStore, id: Digest): string {
  return join(s.root, 'holds', hexOf(id));
}

function checkHolder(holderId: string): void {
  if (!SAFE.test(holderId)) throw new BerthError('image/invalid-holder', `invalid image holder id "${holderId}"`);
}

/** Marks `holderId` (a container id) as using image `id`. Idempotent. */
export async function holdImage(s: ImageStore, id: Digest, holderId: string): Promise<void> {
  checkHolder(holderId);
  mkdirSync(holdDir(s, id), { recursive: true });
  writeFileSync(join(holdDir(s, id), holderId), '');
}

/** Drops a hold. Idempotent (a missing hold is fine). */
export async function releaseImage(s: ImageStore, id: Digest, holderId: string): Promise<void> {
  checkHolder(holderId);
  rmSync(join(holdDir(s, id), holderId), { force: true });
  try {
    rmdirSync(holdDir(s, id));
  } catch {
    // not empty or gone
  }
}

export async function listHolds(s: ImageStore, id: Digest): Promise<string[]> {
  try {
    return (await readdir(holdDir(s, id))).sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}
