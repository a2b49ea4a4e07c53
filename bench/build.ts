// bench/build: `image build` of a small Dockerfile (FROM busybox, COPY a dir, RUN), cold
// (--no-cache) and cached (nothing changed), median of N, berth side by side in the same run
// with buildah and docker where installed (base image: ../shared/peers' local busybox `bb`;
// dockerd is started by ../shared/peers/daemons.sh when not running and stopped again, by
// its PID, afterwards). berth runs as the CLI (`berth image build`, Node start included) and
// through the API (buildImage in this process).
// Usage (root): node dist/bench/build.js [--reps 5] [--no-peers]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeps, buildImage } from '../src/build/index.js';
import { openImageStore } from '../src/image/store.js';
import { buildBusybox } from '../test/helpers/registry.js';

const argNum = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const REPS = argNum('reps', 5);
const PEERS = !process.argv.includes('--no-peers');
const REPO = join(import.meta.dirname, '..', '..');
const PEERS_DIR = join(REPO, '..', 'shared', 'peers');
const ANCHORS = process.env.ANCHORS_WORK ?? '/tmp/anchors';

if (process.getuid?.() !== 0) {
  console.log('bench/build: needs root');
  process.exit(0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const work = mkdtempSync(join(tmpdir(), 'berth-bench-build-'));
const env: Record<string, string> = { ...(process.env as Record<string, string>), BERTH_ROOT: join(work, 'root'), BERTH_RUN: join(work, 'run') };

/** The build context: 20 small files and a Dockerfile per tool (only the base image differs). */
function makeContext(base: string): string {
  const dir = join(work, `ctx-${base.replace(/[^a-z0-9]/g, '_')}`);
  mkdirSync(join(dir, 'app'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, 'app', `f${i}.txt`), `file ${i}\n`.repeat(50));
  writeFileSync(join(dir, 'Dockerfile'), `FROM ${base}\nCOPY app/ /app/\nRUN echo built > /app/built.txt && ls /app > /app/list.txt\nCMD ["cat", "/app/built.txt"]\n`);
  return dir;
}

function timeCmd(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr?.toString().slice(-2000)}`);
  return ms;
}

function series(fn: () => number | Promise<number>): Promise<number> {
  return (async () => {
    const xs: number[] = [];
    await fn(); // warm-up (first pull, page cache)
    for (let i = 0; i < REPS; i++) xs.push(await fn());
    return median(xs);
  })();
}

interface Row {
  readonly tool: string;
  readonly cold: number;
  readonly cached: number;
}
const rows: Row[] = [];

try {
  // berth: busybox built into the private store (no registry needed)
  await buildBusybox(openImageStore(join(env.BERTH_ROOT!, 'images')), 'busybox:1.36');
  const ctx = makeContext('busybox:1.36');
  const cli = (noCache: boolean) => () => timeCmd(process.execPath, [join(REPO, 'bin', 'berth'), 'image', 'build', '-q', ...(noCache ? ['--no-cache'] : []), '-t', 'bench/app:1', ctx]);
  rows.push({ tool: 'berth (CLI)', cold: await series(cli(true)), cached: await series(cli(false)) });
  const api =
    (noCache: boolean, hostNet = false) =>
    async () => {
      const t0 = performance.now();
      await buildImage(buildDeps(env), { context: ctx, tags: ['bench/app:1'], noCache, ...(hostNet ? { network: 'host' as const, allow: ['network.host'] } : {}) });
      return performance.now() - t0;
    };
  rows.push({ tool: 'berth (API)', cold: await series(api(true)), cached: await series(api(false)) });
  // what the build network (own netns per RUN, a bridge made and removed per build) costs
  rows.push({ tool: 'berth host-net', cold: await series(api(true, true)), cached: await series(api(false, true)) });

  if (PEERS && which('buildah') && spawnSync('podman', ['image', 'exists', 'localhost/bb:latest']).status === 0) {
    const bctx = makeContext('localhost/bb:latest');
    const conf: Record<string, string> = existsSync(join(ANCHORS, 'containers.conf')) ? { CONTAINERS_CONF: join(ANCHORS, 'containers.conf') } : {};
    // runc: crun refuses this host's hybrid cgroup layout (../shared/peers/README.md)
    const b = (noCache: boolean) => () =>
      timeCmd('buildah', ['build', '--layers', '--runtime', '/usr/sbin/runc', '-q', ...(noCache ? ['--no-cache'] : []), '-t', 'localhost/berth-bench:1', bctx], conf);
    rows.push({ tool: 'buildah', cold: await series(b(true)), cached: await series(b(false)) });
    spawnSync('buildah', ['rmi', 'localhost/berth-bench:1'], { stdio: 'ignore' });
  } else if (PEERS) console.log('# buildah: not installed or localhost/bb:latest missing (../shared/peers/build-images.sh): skipped');

  if (PEERS && which('docker') && existsSync(join(PEERS_DIR, 'daemons.sh'))) {
    const up = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
    if (!up) execFileSync(join(PEERS_DIR, 'daemons.sh'), ['start'], { stdio: 'ignore' });
    try {
      if (spawnSync('docker', ['image', 'inspect', 'bb:latest'], { stdio: 'ignore' }).status !== 0) execFileSync(join(PEERS_DIR, 'build-images.sh'), { stdio: 'ignore' });
      const dctx = makeContext('bb:latest');
      const d = (noCache: boolean) => () => timeCmd('docker', ['build', '-q', ...(noCache ? ['--no-cache'] : []), '-t', 'berth-bench:1', dctx]);
      rows.push({ tool: 'docker', cold: await series(d(true)), cached: await series(d(false)) });
      spawnSync('docker', ['rmi', 'berth-bench:1'], { stdio: 'ignore' });
    } finally {
      if (!up) execFileSync(join(PEERS_DIR, 'daemons.sh'), ['stop'], { stdio: 'ignore' });
    }
  } else if (PEERS) console.log('# docker: not installed: skipped');

  const berth = rows[0]!;
  console.log(`\nbench/build: FROM busybox + COPY (20 files) + RUN, median of ${REPS}`);
  console.log(`${'tool'.padEnd(16)}${'cold ms'.padStart(10)}${'cached ms'.padStart(12)}${'cold x'.padStart(9)}${'cached x'.padStart(10)}`);
  for (const r of rows) {
    const ratio = (a: number, b: number): string => (r === berth ? '' : `${(a / b).toFixed(1)}`);
    console.log(`${r.tool.padEnd(16)}${r.cold.toFixed(0).padStart(10)}${r.cached.toFixed(0).padStart(12)}${ratio(r.cold, berth.cold).padStart(9)}${ratio(r.cached, berth.cached).padStart(10)}`);
  }
  console.log("(x = the tool's time / berth CLI's time: above 1 means berth is faster)");
} finally {
  rmSync(work, { recursive: true, force: true });
}
