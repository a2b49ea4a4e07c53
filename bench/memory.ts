// bench/memory: what berth keeps resident for a running 10-service project (busybox, the
// up-down bench's shape): the per-project supervisor (RSS, PSS) and the shims (PSS, one per
// container), beside 10 conmons (podman's monitor) each watching a runc container of the
// same busybox rootfs, measured in the same run. PSS divides shared pages among their users,
// so both sides run 10 at once. Goals (issue 15): supervisor <= 25 MB RSS, shim <= conmon.
// Usage (root): node dist/bench/memory.js
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostProcesses } from '../test/helpers/kernel.js';
import { startTestRegistry } from '../test/helpers/registry.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'berth');
const N = 10;

if (process.getuid?.() !== 0) {
  console.log('bench/memory: needs root');
  process.exit(0);
}

const kib = (pid: number, file: 'status' | 'smaps_rollup', key: string): number => {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
const pss = (pid: number): number => kib(pid, 'smaps_rollup', 'Pss');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

async function measureBerth(): Promise<{ supRss: number; supPss: number; shims: number[] }> {
  const reg = await startTestRegistry();
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-memory-'));
  const dir = join(base, 'mem10');
  mkdirSync(dir);
  const svc = (n: number): string => `  s${n}:\n    image: busybox:1.36\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n`;
  writeFileSync(join(dir, 'compose.yaml'), `services:\n${Array.from({ length: N }, (_, i) => svc(i)).join('')}`);
  const root = join(base, 'root');
  const run = join(base, 'run');
  const env = { ...process.env, ...reg.mirrorEnv, BERTH_ROOT: root, BERTH_RUN: run, BERTH_PROGRESS: 'quiet' };
  try {
    const up = spawnSync(process.execPath, [BIN, 'up', '-d'], { cwd: dir, env, encoding: 'utf8' });
    if (up.status !== 0) throw new Error(`berth up -d failed: ${up.stderr}`);
    await sleep(3000); // the supervisor settles (health loops, DNS, its code cache written)
    const supPid = Number(readFileSync(join(root, 'projects', 'mem10', 'supervisor.pid'), 'utf8').split(' ')[0]);
    const shims = hostProcesses(`${run}/containers/`).filter((p) => p !== supPid); // argv: berth-shim create RUN/containers/ID/shim.conf
    return { supRss: kib(supPid, 'status', 'VmRSS'), supPss: pss(supPid), shims: shims.map(pss) };
  } finally {
    spawnSync(process.execPath, [BIN, 'down'], { cwd: dir, env, stdio: 'ignore' });
    await reg.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

/** N conmons, each monitoring a runc container (sleep) of a busybox rootfs; their PSS. */
async function measureConmon(): Promise<number[] | string> {
  if (!existsSync('/usr/bin/conmon') || !existsSync('/usr/sbin/runc')) return 'conmon or runc not installed';
  const w = mkdtempSync(join(tmpdir(), 'berth-bench-conmon-'));
  const runcRoot = join(w, 'runc');
  const ids = Array.from({ length: N }, (_, i) => `bthmem${process.pid}-${i}`);
  try {
    const bundle = join(w, 'bundle');
    mkdirSync(bundle);
    execFileSync(join(REPO, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [join(bundle, 'rootfs')]);
    execFileSync('runc', ['spec'], { cwd: bundle });
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { process: { terminal: boolean; args: string[] } };
    spec.process.terminal = false;
    spec.process.args = ['sleep', '3600'];
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const pids: number[] = [];
    for (const id of ids) {
      const d = join(w, id);
      mkdirSync(join(d, 'exit'), { recursive: true });
      execFileSync(
        'conmon',
        [
          '--api-version',
          '1',
          '-c',
          id,
          '-u',
          id,
          '-n',
          id,
          '-r',
          '/usr/sbin/runc',
          '-b',
          bundle,
          '-p',
          join(d, 'pid'),
          '--conmon-pidfile',
          join(d, 'cpid'),
          '-l',
          `k8s-file:${join(d, 'log')}`,
          '--exit-dir',
          join(d, 'exit'),
          '--socket-dir-path',
          d,
          '--runtime-arg',
          `--root=${runcRoot}`,
          '--log-level',
          'error',
          '--syslog=false',
        ],
        { stdio: 'ignore' },
      );
      // conmon returns once it has daemonized; the container exists once runc wrote its pid file
      for (let i = 0; i < 200 && !existsSync(join(d, 'pid')); i++) await sleep(25);
      execFileSync('runc', ['--root', runcRoot, 'start', id]);
      pids.push(Number(readFileSync(join(d, 'cpid'), 'utf8')));
    }
    await sleep(1000);
    return pids.map(pss);
  } catch (err) {
    return `conmon: ${(err as Error).message}`;
  } finally {
    for (const id of ids) {
      spawnSync('runc', ['--root', runcRoot, 'kill', id, 'KILL'], { stdio: 'ignore' });
    }
    await sleep(500);
    for (const id of ids) spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' });
    rmSync(w, { recursive: true, force: true });
  }
}

const berth = await measureBerth();
const conmon = await measureConmon();
const mb = (k: number): string => (k / 1024).toFixed(1);
console.log(
  `\nbench/memory: a running ${N}-service project (KiB unless said; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
console.log(`berth supervisor (1 per project)     RSS ${mb(berth.supRss)} MB, PSS ${mb(berth.supPss)} MB   (goal: RSS <= 25 MB: ${(berth.supRss / 1024 / 25).toFixed(2)}x the goal)`);
console.log(`berth shims x${berth.shims.length}                     PSS total ${sum(berth.shims)}, per shim ${(sum(berth.shims) / Math.max(1, berth.shims.length)).toFixed(0)}`);
if (typeof conmon === 'string') console.log(`conmon: ${conmon}`);
else {
  console.log(`conmon x${conmon.length} (runc containers)         PSS total ${sum(conmon)}, per conmon ${(sum(conmon) / conmon.length).toFixed(0)}`);
  console.log(`shim / conmon (PSS per monitor)      ${(sum(berth.shims) / berth.shims.length / (sum(conmon) / conmon.length)).toFixed(2)}`);
}
