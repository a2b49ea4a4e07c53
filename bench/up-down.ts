// bench/up-down: `up -d` to all-running and `down` to all-gone of a 10-service project
// (s0 <- s1..s3 <- s4..s9: a chain plus fan-out, busybox httpd/sleep, default network),
// berth side by side in the same run with docker-compose (on a dockerd started by the
// peers' scripts, stopped again by PID) and podman-compose, on the same busybox content.
// Prints a table of medians and the ratios.
// Usage (root): node dist/bench/up-down.js [--reps 5] [--no-peers]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRegistry } from '../test/helpers/registry.js';
import { PEERS_DIR, withDockerd } from './peer-daemons.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const REPS = arg('reps', 5);
const PEERS = !process.argv.includes('--no-peers');
// bin/berth, as users run it (it enables Node's compile cache)
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'berth');

if (process.getuid?.() !== 0) {
  console.log('bench/up-down: needs root');
  process.exit(0);
}

function compose10(image: string): string {
  const httpd = `["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /var/www & wait"]`;
  const sleep = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;
  const svc = (n: number, dep: number | undefined, cmd: string): string => `  s${n}:\n    image: ${image}\n    command: ${cmd}\n${dep !== undefined ? `    depends_on: [s${dep}]\n` : ''}`;
  return `services:\n${[svc(0, undefined, httpd), svc(1, 0, httpd), svc(2, 0, httpd), svc(3, 0, httpd), svc(4, 1, sleep), svc(5, 1, sleep), svc(6, 2, sleep), svc(7, 2, sleep), svc(8, 3, sleep), svc(9, 3, sleep)].join('')}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`berth ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return s;
}

async function benchBerth(): Promise<{ up: number; down: number }> {
  const reg = await startTestRegistry();
  const base = mkdtempSync(join(tmpdir(), 'berth-bench-updown-'));
  const dir = join(base, 'bench10');
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), compose10('busybox:1.36'));
  const env = { ...process.env, ...reg.mirrorEnv, BERTH_ROOT: join(base, 'root'), BERTH_RUN: join(base, 'run'), BERTH_PROGRESS: 'quiet' };
  try {
    timed(['up', '-d'], dir, env); // pull + warm caches
    timed(['down'], dir, env);
    const ups: number[] = [];
    const downs: number[] = [];
    for (let i = 0; i < REPS; i++) {
      ups.push(timed(['up', '-d'], dir, env));
      downs.push(timed(['down'], dir, env));
    }
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(' ');
    console.error(`berth samples: up ${fmt(ups)}\nberth samples: down ${fmt(downs)}`);
    return { up: median(ups), down: median(downs) };
  } finally {
    spawnSync(process.execPath, [BIN, 'down', '-v'], { cwd: dir, env, stdio: 'ignore' });
    await reg.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

/** The peers' own harness (builds bb:latest, measures), on a dockerd run under the shared lock (peer-daemons.ts). */
async function benchPeers(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!existsSync(join(PEERS_DIR, 'run.sh'))) return out;
  const r = await withDockerd(() =>
    spawnSync(join(PEERS_DIR, 'run.sh'), [], { env: { ...process.env, ONLY: 'compose', REPS: String(REPS), KEEP_DAEMONS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  if (!r) return out;
  for (const line of r.stdout.split('\n')) {
    const m = /^(docker-compose|podman-compose) (up -d|down)\s+10 svc\s+([\d.]+)/.exec(line);
    if (m) out.set(`${m[1]} ${m[2]}`, Number(m[3]));
  }
  return out;
}

const berth = await benchBerth();
const peers = PEERS ? await benchPeers() : new Map<string, number>();
const rows: [string, number | undefined][] = [
  ['berth up -d (10 svc)', berth.up],
  ['berth down (10 svc)', berth.down],
  ['docker-compose up -d (10 svc)', peers.get('docker-compose up -d')],
  ['docker-compose down (10 svc)', peers.get('docker-compose down')],
  ['podman-compose up -d (10 svc)', peers.get('podman-compose up -d')],
  ['podman-compose down (10 svc)', peers.get('podman-compose down')],
];
console.log(`bench/up-down: median of ${REPS}, whole CLI process, image present`);
console.log('case                              median_s   berth is');
for (const [name, v] of rows) {
  const ref = name.includes('up -d') ? berth.up : berth.down;
  const ratio = v === undefined ? 'n/a' : name.startsWith('berth') ? '' : `${(v / ref).toFixed(1)}x faster`;
  console.log(`${name.padEnd(34)}${v === undefined ? 'n/a     ' : v.toFixed(3).padStart(8)}   ${ratio}`);
}
