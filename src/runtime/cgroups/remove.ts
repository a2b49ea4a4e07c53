import { BerthError, errnoCode } from '../../errors.js';
import { cgRead } from './fs.js';
import { sleep } from '../../util/sleep.js';
const { rmdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/** rmdir a cgroup leaf: kill what is still inside, retry while busy; missing = done. */
export async function removeCgroupDir(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt > 500) {
        throw new BerthError('runtime/cgroup', `cannot remove cgroup ${dir}: ${code}`, { cause: err });
      }
    }
    for (const pid of (cgRead(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
    await sleep(attempt < 20 ? 1 : 5);
  }
}

/**
 * rmdir the shared `berth` parent once the last container has gone, so an idle host keeps
 * no berth cgroup. Busy (other containers), missing, or racing a create: all fine, the
 * creating side retries (see `ensureLeaf`).
 */
export function removeParentIfEmpty(parent: string): void {
  try {
    rmdirSync(parent);
  } catch {
    // EBUSY/ENOTEMPTY: still in use; ENOENT: already gone
  }
}

/** The shim group (types.ts ShimGroup), then berth's parent, each once empty: best effort, idempotent. */
export function removeShimGroupDirs(group: { readonly parent: string; readonly dir: string } | undefined): void {
  if (!group) return;
  removeParentIfEmpty(group.dir);
  removeParentIfEmpty(group.parent);
}

/**
 * mkdir parent then leaf; when a concurrent `removeParentIfEmpty` takes the parent away in
 * between (ENOENT on the leaf), make it again.
 */
export function ensureLeaf(parent: string, leaf: string, prepareParent: () => void, mkdir: (p: string) => void): void {
  for (let attempt = 0; ; attempt++) {
    mkdir(parent);
    prepareParent();
    try {
      mkdir(leaf);
      return;
    } catch (err) {
      const cause = err instanceof Error ? err.cause : undefined;
      if (attempt >= 5 || errnoCode(cause ?? err) !== 'ENOENT') throw err;
    }
  }
}
