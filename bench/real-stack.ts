// bench/real-stack: a real 4-container stack (bench/real-stack/: nginx -> 2x python app ->
// redis, Debian bookworm images from bench/real-images.sh on a loopback registry), berth
// beside docker-compose (on a dockerd started under the shared lock) in the same run:
//   cold  `up -d` with no image present (page cache dropped) until the first answer through nginx
//   warm  `up -d` with the images present until the first answer
//   down  `down -v` of the running stack
// Prints medians, the samples and berth / docker-compose.
// Usage (root): node dist/bench/real-stack.js [--rounds 3] [--no-peers]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/registry.js';
import { REAL_IMAGES, realImagesSkipReason, startRealRegistry } from '../test/helpers/real-images.js';
import { withDockerd } from './peer-daemons.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const ROUNDS = arg('rounds', 3);
const PEERS = !process.argv.includes('--no-peers');
const REPO = join(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'berth');

if (process.getuid?.() !== 0) {
  console.log('bench/real-stack: needs root');
  process.exit(0);
}
const missing = realImagesSkipReason();
if (missing) {
  console.log(`bench/real-stack: ${missing}`);
  process.exit(0);
}

interface Samples {
  cold: number[];
  warm: number[];
  down: number[];
}

function dropCaches(): void {
  spawnSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '1');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString().slice(-2000)}`);
  return (performance.now() - t0) / 1000;
}

/** Seconds from t0 until nginx answers with an app's greeting (bounded: 120 s). */
async function firstAnswer(port: number, t0: number): Promise<number> {
  const deadline = t0 + 120_000;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200 && body.startsWith('hello from')) return (performance.now() - t0) / 1000;
    } catch {
      // not answering yet
    }
    await sleep(20);
  }
  throw new Error(`no answer on port ${port} within 120 s`);
}

/** One tool's rounds: cold (fresh images), warm, and the down after each. */
async function rounds(tool: string, up: string[], down: string[], dir: string, env: NodeJS.ProcessEnv, forgetImages: () => void, cmd: string): Promise<Samples> {
  const out: Samples = { cold: [], warm: [], down: [] };
  const port = Number(env.WEB_PORT);
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of ['cold', 'warm'] as const) {
      if (kind === 'cold') {
        forgetImages();
        dropCaches();
      }
      const t0 = performance.now();
      run(cmd, up, dir, env);
      try {
        out[kind].push(await firstAnswer(port, t0));
      } catch (err) {
        // what the stack looked like, for the report
        const base = up.slice(0, -2);
        for (const extra of [['ps'], ['logs', '--tail', '20']]) spawnSync(cmd, [...base, ...extra], { cwd: dir, env, stdio: ['ignore', 2, 2] });
        throw err;
      }
      out.down.push(run(cmd, down, dir, env));
    }
    process.stderr.write(
      `${tool} round ${r + 1}: cold ${out.cold.at(-1)!.toFixed(2)} s, warm ${out.warm.at(-1)!.toFixed(2)} s, down ${out.down
        .slice(-2)
        .map((x) => x.toFixed(2))
        .join('/')} s\n`,
    );
  }
  return out;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const reg = await startRealRegistry();
const work = mkdtempSync(join(tmpdir(), 'berth-bench-real-stack-'));
const results = new Map<string, Samples>();
try {
  const dir = join(work, 'realstack');
  cpSync(join(REPO, 'bench', 'real-stack'), dir, { recursive: true });
  const base = { ...process.env, REG: reg.host, WEB_PORT: String(await freePort()) };
  const broot = join(work, 'root');
  const benv = { ...base, BERTH_ROOT: broot, BERTH_RUN: join(work, 'run'), BERTH_PROGRESS: 'quiet' };
  try {
    results.set('berth', await rounds('berth', [BIN, 'up', '-d'], [BIN, 'down', '-v'], dir, benv, () => rmSync(join(broot, 'images'), { recursive: true, force: true }), process.execPath));
  } finally {
    spawnSync(process.execPath, [BIN, 'down', '-v'], { cwd: dir, env: benv, stdio: 'ignore' });
  }
  if (PEERS) {
    const refs = Object.values(REAL_IMAGES).map((i) => `${reg.host}/${i}`);
    const denv = { ...base, COMPOSE_PROJECT_NAME: `realstack${process.pid}` };
    const docker = await withDockerd(async () => {
      try {
        return await rounds('docker-compose', ['up', '-d'], ['down', '-v'], dir, denv, () => spawnSync('docker', ['rmi', '-f', ...refs], { stdio: 'ignore' }), 'docker-compose');
      } finally {
        spawnSync('docker-compose', ['down', '-v'], { cwd: dir, env: denv, stdio: 'ignore' });
        spawnSync('docker', ['rmi', '-f', ...refs], { stdio: 'ignore' });
      }
    });
    if (docker) results.set('docker-compose', docker);
  }
} finally {
  await reg.stop();
  rmSync(work, { recursive: true, force: true });
}

const berth = results.get('berth')!;
const peer = results.get('docker-compose');
console.log(
  `\nbench/real-stack: nginx -> 2x python app -> redis (Debian bookworm images), ${ROUNDS} rounds, median s; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`${'case'.padEnd(34)}${'berth'.padStart(8)}${'docker-compose'.padStart(16)}${'berth / peer'.padStart(14)}`);
const label = { cold: 'cold up -d to first answer', warm: 'warm up -d to first answer', down: 'down -v' } as const;
for (const k of ['cold', 'warm', 'down'] as const) {
  const b = median(berth[k]);
  const p = peer ? median(peer[k]) : undefined;
  console.log(`${label[k].padEnd(34)}${b.toFixed(2).padStart(8)}${(p === undefined ? 'n/a' : p.toFixed(2)).padStart(16)}${(p === undefined ? 'n/a' : (b / p).toFixed(2)).padStart(14)}`);
}
const fmt = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(' ');
for (const [tool, s] of results) console.log(`${tool} samples: cold ${fmt(s.cold)}; warm ${fmt(s.warm)}; down ${fmt(s.down)}`);
