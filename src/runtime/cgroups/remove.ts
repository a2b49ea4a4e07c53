import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError, errnoCode } from '../../errors.js';
import { cgRead } from './fs.js';
import { sleep } from './manager.js';

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
