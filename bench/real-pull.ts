// bench/real-pull: pull + unpack of a real image (Debian bookworm + python3, one ~80 MB gzip
// layer, ~10k files; bench/real-images.sh) from a loopback docker-registry: berth (a fresh
// store every round) beside `docker pull` (the image removed before every round), page
// cache dropped before each pull. Prints medians, user+sys CPU and the ratio.
// Usage (root): node dist/bench/real-pull.js [--rounds 3] [--no-peers] [--image python|nginx|redis]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_IMAGES, realImagesSkipReason, startRealRegistry } from '../test/helpers/real-images.js';
import { withDockerd } from './peer-daemons.js';

const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1]!;
};
const rounds = Number(arg('rounds', '3'));
const image = arg('image', 'python') as keyof typeof REAL_IMAGES;
const PEERS = !process.argv.includes('--no-peers');

if (process.getuid?.() !== 0) {
  console.log('bench/real-pull: needs root');
  process.exit(0);
}
const missing = realImagesSkipReason();
if (missing) {
  console.log(`bench/real-pull: ${missing}`);
  process.exit(0);
}

interface Sample {
  readonly s: number;
  readonly cpu: number;
}

function dropCaches(): void {
  spawnSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '1');
}

/** Wall and user+sys seconds of a command (/usr/bin/time). */
function timed(cmd: string, args: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { s, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

/** CPU seconds (user+sys, with waited-for children) of the running daemons named `names` (dockerd, containerd). */
function daemonCpu(names: readonly string[]): number {
  const tick = 100; // USER_HZ
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0) / tick; // utime stime cutime cstime
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Where docker pull's work is done: its CPU counts with the client's. */
const DAEMONS = ['dockerd', 'containerd'];

const reg = await startRealRegistry();
const work = mkdtempSync(join(tmpdir(), 'berth-bench-real-pull-'));
const ref = `${reg.host}/${REAL_IMAGES[image]}`;
const results = new Map<string, Sample[]>();
try {
  const berth: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    const dest = join(work, `store-${r}`);
    dropCaches();
    berth.push(timed(process.execPath, [join(import.meta.dirname, 'pull-child.js'), dest, ref]));
    rmSync(dest, { recursive: true, force: true });
  }
  results.set('berth pull', berth);
  if (PEERS) {
    const docker = await withDockerd(() => {
      const out: Sample[] = [];
      for (let r = 0; r < rounds; r++) {
        spawnSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
        dropCaches();
        const before = daemonCpu(DAEMONS);
        const t = timed('docker', ['pull', '-q', ref]);
        out.push({ s: t.s, cpu: t.cpu + daemonCpu(DAEMONS) - before });
      }
      spawnSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
      return out;
    });
    if (docker) results.set('docker pull', docker);
  }
} finally {
  await reg.stop();
  rmSync(work, { recursive: true, force: true });
}
const base = median(results.get('berth pull')!.map((x) => x.s));
const baseCpu = median(results.get('berth pull')!.map((x) => x.cpu));
console.log(
  `\nbench/real-pull: ${REAL_IMAGES[image]} (${rounds} rounds, page cache dropped before each, median; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
console.log("(docker pull's cpu: its client's and what dockerd and containerd spent meanwhile, where the work is done)");
console.log(`${'tool'.padEnd(14)}${'wall s'.padStart(9)}${'cpu s'.padStart(9)}${'berth / peer'.padStart(14)}${'cpu ratio'.padStart(11)}   samples`);
for (const [name, xs] of results) {
  const s = median(xs.map((x) => x.s));
  const cpu = median(xs.map((x) => x.cpu));
  const ratio = name.startsWith('berth') ? '' : (base / s).toFixed(2);
  const cpuRatio = name.startsWith('berth') ? '' : (baseCpu / cpu).toFixed(2);
  console.log(`${name.padEnd(14)}${s.toFixed(2).padStart(9)}${cpu.toFixed(2).padStart(9)}${ratio.padStart(14)}${cpuRatio.padStart(11)}   ${xs.map((x) => x.s.toFixed(2)).join(' ')}`);
}
if (!results.has('docker pull')) console.log('(docker pull: not run)');
