// bench/memory: what berth keeps resident for running projects of 10 services each (busybox,
// the up-down bench's shape): the per-project supervisor and the shims (one per container),
// beside podman's monitor (conmon, one per runc container of the same busybox rootfs) and
// Docker's (containerd-shim-runc-v2, one per container, plus dockerd and containerd shared by
// all), all measured in the same run, with 1 project and with 3 (10 and 30 containers).
// Three figures per process, from /proc/PID/smaps_rollup: RSS (every page it maps, shared
// ones in full), PSS (shared pages divided among their users) and USS (its private pages:
// what one more of it costs, the honest per-project figure). A shim runs from its own sealed
// copy of berth-shim (a memfd, native/shim/util.c): the part of that copy it never maps is
// memory too, so "+copy" adds it to the shim's USS. Goals (issue 15): supervisor <= 25 MB per
// project, shim <= conmon.
// Usage (root): node dist/bench/memory.js
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childProcesses, hostProcesses } from '../test/helpers/kernel.js';
import { startTestRegistry } from '../test/helpers/registry.js';
import { withDockerd } from './peer-daemons.js';

const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'berth');
const SERVICES = 10;
const PROJECTS = [1, 3];

if (process.getuid?.() !== 0) {
  console.log('bench/memory: needs root');
  process.exit(0);
}

/** KiB; `copy`: the unmapped part of a process's memfd executable (0 for a file on disk). */
interface Mem {
  rss: number;
  pss: number;
  uss: number;
  copy: number;
}

function mem(pid: number): Mem {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const k = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: k('Rss'), pss: k('Pss'), uss: k('Private_Clean') + k('Private_Dirty'), copy: memfdUnmapped(pid) };
  } catch {
    return { rss: 0, pss: 0, uss: 0, copy: 0 };
  }
}

/** KiB of a memfd executable that no mapping of `pid` holds (the whole copy stays in memory while it runs). */
function memfdUnmapped(pid: number): number {
  const exe = readlinkSync(`/proc/${pid}/exe`);
  if (!exe.startsWith('/memfd:')) return 0;
  const name = exe.replace(/ \(deleted\)$/, '');
  let mapped = 0;
  let inExe = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inExe = line.includes(name);
    else if (inExe && line.startsWith('Rss:')) mapped += Number(line.split(/\s+/)[1]);
  }
  return Math.max(0, Math.round(statSync(`/proc/${pid}/exe`).size / 1024) - mapped);
}

const avg = (ms: readonly Mem[]): Mem => {
  const n = Math.max(1, ms.length);
  const s = (f: keyof Mem): number => ms.reduce((a, m) => a + m[f], 0) / n;
  return { rss: s('rss'), pss: s('pss'), uss: s('uss'), copy: s('copy') };
};

interface Row {
  readonly who: string;
  readonly count: number;
  readonly m: Mem;
}
const rows: Row[] = [];
const notes: string[] = [];
const record = (who: string, ms: readonly Mem[]): Mem => {
  const m = avg(ms);
  rows.push({ who, count: ms.length, m });
  return m;
};

const serviceYaml = (n: number): string => `  s${n}:\n    image: busybox:1.36\n    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]\n`;

/** `projects` projects of SERVICES containers each, up -d: their supervisors and shims. */
async function measureBerth(projects: number): Promise<{ sup: Mem; shim: Mem }> {
  const reg = await startTestRegistry();
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-memory-'));
  const root = join(base, 'root');
  const run = join(base, 'run');
  const env = { ...process.env, ...reg.mirrorEnv, BERTH_ROOT: root, BERTH_RUN: run, BERTH_PROGRESS: 'quiet' };
  const names = Array.from({ length: projects }, (_, i) => `mem${i}`);
  try {
    for (const name of names) {
      const dir = join(base, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'compose.yaml'), `services:\n${Array.from({ length: SERVICES }, (_, i) => serviceYaml(i)).join('')}`);
      const up = spawnSync(process.execPath, [BIN, 'up', '-d'], { cwd: dir, env, encoding: 'utf8' });
      if (up.status !== 0) throw new Error(`berth up -d failed: ${up.stderr}`);
    }
    // the supervisors settle: DNS served, code cache written, and V8's memory reducer has run
    // (it collects once allocation has been low for a while; before that the figures wander by 2 MB)
    await sleep(30_000);
    const sups = names.map((name) => Number(readFileSync(join(root, 'projects', name, 'supervisor.pid'), 'utf8').split(' ')[0]));
    const shims = hostProcesses(`${run}/containers/`).filter((p) => !sups.includes(p)); // argv: berth-shim create RUN/containers/ID/shim.conf
    // a supervisor's child processes (a netlink relay it kept, a sidecar) are its cost too
    const kids = sups.map(descendants);
    const sup = record(
      `berth supervisor (1 per project; + ${sum(kids.map((k) => k.length))} children), ${projects} project(s)`,
      sups.map((p, i) => [p, ...kids[i]!].map(mem).reduce(addMem, NO_MEM)),
    );
    const shim = record(`berth shim, ${shims.length} containers`, shims.map(mem));
    return { sup, shim };
  } finally {
    for (const name of names) spawnSync(process.execPath, [BIN, 'down'], { cwd: join(base, name), env, stdio: 'ignore' });
    await reg.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

/** `count` conmons, each monitoring a runc container (sleep) of a busybox rootfs. */
async function measureConmon(count: number): Promise<Mem | undefined> {
  if (!existsSync('/usr/bin/conmon') || !existsSync('/usr/sbin/runc')) {
    notes.push('conmon: conmon or runc not installed');
    return undefined;
  }
  const w = mkdtempSync(join(tmpdir(), 'berth-bench-conmon-'));
  const runcRoot = join(w, 'runc');
  const ids = Array.from({ length: count }, (_, i) => `bthmem${process.pid}-${i}`);
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
      // prettier-ignore
      const args = ['--api-version', '1', '-c', id, '-u', id, '-n', id, '-r', '/usr/sbin/runc', '-b', bundle, '-p', join(d, 'pid'), '--conmon-pidfile', join(d, 'cpid'),
        '-l', `k8s-file:${join(d, 'log')}`, '--exit-dir', join(d, 'exit'), '--socket-dir-path', d, '--runtime-arg', `--root=${runcRoot}`, '--log-level', 'error', '--syslog=false'];
      execFileSync('conmon', args, { stdio: 'ignore' });
      // conmon returns once it has daemonized; the container exists once runc wrote its pid file
      for (let i = 0; i < 200 && !existsSync(join(d, 'pid')); i++) await sleep(25);
      execFileSync('runc', ['--root', runcRoot, 'start', id]);
      pids.push(Number(readFileSync(join(d, 'cpid'), 'utf8')));
    }
    await sleep(1000);
    return record(`podman's conmon, ${count} runc containers`, pids.map(mem));
  } catch (err) {
    notes.push(`conmon: ${(err as Error).message}`);
    return undefined;
  } finally {
    for (const id of ids) spawnSync('runc', ['--root', runcRoot, 'kill', id, 'KILL'], { stdio: 'ignore' });
    await sleep(500);
    for (const id of ids) spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' });
    rmSync(w, { recursive: true, force: true });
  }
}

/** Docker: `count` containers (sleep) of an imported busybox rootfs; its per-container shims and its two daemons. */
async function measureDocker(counts: readonly number[]): Promise<void> {
  const done = await withDockerd(async () => {
    const w = mkdtempSync(join(tmpdir(), 'berth-bench-docker-'));
    const image = `bthmem${process.pid}:latest`;
    try {
      execFileSync(join(REPO, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [join(w, 'rootfs')]);
      execFileSync('sh', ['-c', `tar -C ${join(w, 'rootfs')} -c . | docker import - ${image}`], { stdio: 'ignore' });
      for (const count of counts) {
        const names = Array.from({ length: count }, (_, i) => `bthmem${process.pid}-${count}-${i}`);
        try {
          for (const name of names) execFileSync('docker', ['run', '-d', '--name', name, image, 'sleep', '3600'], { stdio: 'ignore' });
          await sleep(1000);
          const ids = names.map((n) => execFileSync('docker', ['inspect', '-f', '{{.Id}}', n], { encoding: 'utf8' }).trim());
          const shims = ids.flatMap((id) => hostProcesses(`containerd-shim`).filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id)));
          record(`docker's containerd-shim-runc-v2, ${count} containers`, shims.map(mem));
          const daemons = ['dockerd', 'containerd'].flatMap((d) => hostProcesses('').filter((p) => readlinkSafe(`/proc/${p}/exe`).endsWith(`/${d}`)));
          record(`dockerd + containerd (shared by all), ${count} containers`, [daemons.map(mem).reduce(addMem, NO_MEM)]);
        } finally {
          spawnSync('docker', ['rm', '-f', ...names], { stdio: 'ignore' });
        }
      }
    } finally {
      spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
      rmSync(w, { recursive: true, force: true });
    }
    return true;
  }).catch((err: unknown) => {
    notes.push(`docker: ${(err as Error).message}`);
    return true;
  });
  if (done === undefined) notes.push('docker: cannot run here (see above)');
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Every process below `pid`. */
function descendants(pid: number): number[] {
  const kids = childProcesses(pid);
  return [...kids, ...kids.flatMap(descendants)];
}

const readlinkSafe = (p: string): string => {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
};
const NO_MEM: Mem = { rss: 0, pss: 0, uss: 0, copy: 0 };
const addMem = (a: Mem, b: Mem): Mem => ({ rss: a.rss + b.rss, pss: a.pss + b.pss, uss: a.uss + b.uss, copy: a.copy + b.copy });

const results = new Map<number, { sup: Mem; shim: Mem; conmon: Mem | undefined }>();
for (const p of PROJECTS) {
  const berth = await measureBerth(p);
  results.set(p, { ...berth, conmon: await measureConmon(p * SERVICES) });
}
if (!process.argv.includes('--no-docker')) await measureDocker(PROJECTS.map((p) => p * SERVICES));

const mb = (k: number): string => (k / 1024).toFixed(2).padStart(7);
console.log(
  `\nbench/memory: projects of ${SERVICES} busybox services; MB per process (average), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`${'process'.padEnd(66)}     RSS     PSS     USS  USS+copy`);
for (const r of rows) console.log(`${`${r.who} (x${r.count})`.padEnd(66)} ${mb(r.m.rss)} ${mb(r.m.pss)} ${mb(r.m.uss)} ${r.m.copy ? mb(r.m.uss + r.m.copy) : ''}`);
for (const n of notes) console.log(n);
for (const [p, r] of results) {
  const line = [`${p} project(s): supervisor USS ${mb(r.sup.uss).trim()} MB (goal <= 25 MB per project: ${(r.sup.uss / 1024 / 25).toFixed(2)}x)`];
  if (r.conmon) line.push(`shim/conmon PSS ${(r.shim.pss / r.conmon.pss).toFixed(2)}, USS+copy/USS ${((r.shim.uss + r.shim.copy) / r.conmon.uss).toFixed(2)}`);
  console.log(line.join('; '));
}
