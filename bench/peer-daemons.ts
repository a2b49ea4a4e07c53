// Runs work beside a dockerd for peer figures, as the peers' README asks: the shared lock
// /tmp/berth-dockerd.lock is held for the whole time dockerd runs (a `flock` child holds it
// until its stdin closes), dockerd is started with the peers' daemons.sh and stopped again
// (by PID) before the lock is released.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PEERS_DIR = process.env.BERTH_PEERS_DIR ?? '/work/shared/peers';

/** Why Docker peers cannot run here, or undefined. */
export function dockerSkipReason(): string | undefined {
  if (!existsSync('/usr/bin/dockerd') && !existsSync('/usr/sbin/dockerd')) return 'dockerd not installed';
  if (!existsSync(join(PEERS_DIR, 'daemons.sh'))) return `no ${PEERS_DIR}/daemons.sh`;
  return undefined;
}

/** `fn` with dockerd running (under the shared lock); undefined when Docker cannot run here. */
export async function withDockerd<T>(fn: () => Promise<T> | T): Promise<T | undefined> {
  const reason = dockerSkipReason();
  if (reason) {
    console.error(`peers: ${reason}`);
    return undefined;
  }
  const holder = spawn('flock', ['/tmp/berth-dockerd.lock', 'sh', '-c', 'echo locked; cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`flock exited ${code}`)));
  });
  const daemons = (verb: string): void => {
    const r = spawnSync(join(PEERS_DIR, 'daemons.sh'), [verb], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`daemons.sh ${verb}: ${r.stderr}`);
  };
  try {
    daemons('start');
    return await fn();
  } finally {
    try {
      daemons('stop');
    } finally {
      holder.stdin.end();
      await new Promise((r) => holder.once('exit', r));
    }
  }
}
