// bench/dashboard: what the dashboard costs. 10 services log numbered lines as fast as
// --rate allows (lines/s per service, in bursts every 10 ms; default 2000; 0 = flat out, which
// on this 2-core machine starves every process of CPU; the followers read at most 1 MB ahead,
// so berth's peak RSS stays bounded, in either mode) for --seconds (default 10) under attached `berth up`, once with `--progress plain` to a
// file and once with the dashboard in a tmux pane (100x30). Measured: lines/s reaching the
// log files, lines lost (gaps in each service's numbering: must be 0), CPU of the berth
// process (utime+stime over the window), and for the dashboard the key-to-screen latency
// (`?` sent with tmux send-keys until the help's first frame reaches the pane: its output is
// copied to a file with pipe-pane, read every ms; capture-pane itself takes ~50 ms here).
// The peer is plain mode: the dashboard may cost at most 2x its CPU.
// Usage (root, tmux installed): node dist/bench/dashboard.js [--seconds 10] [--keys 20]
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestRegistry } from '../test/helpers/registry.js';
import { startTmux, tmuxSkipReason } from '../test/helpers/tmux.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 10);
const KEYS = arg('keys', 20);
const RATE = arg('rate', 2000);
const SERVICES = 10;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'berth');
const TICKS = 100; // clock ticks per second (/proc/<pid>/stat)

if (process.getuid?.() !== 0 || tmuxSkipReason()) {
  console.log(`bench/dashboard: ${process.getuid?.() !== 0 ? 'needs root' : tmuxSkipReason()}`);
  process.exit(0);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

/** The berth process a tmux pane runs (the node child of the pane's shell). */
function paneBerthPid(shellPid: number): number | undefined {
  const children = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('bin/berth'));
}

interface LogCount {
  readonly lines: number;
  readonly lost: number;
}

/** Lines in the log files per `berth logs`, and gaps in each service's numbering. */
async function countLogs(env: NodeJS.ProcessEnv, cwd: string): Promise<LogCount> {
  const child = spawn(process.execPath, [BIN, 'logs', '--no-color', '--no-log-prefix'], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
  const max = new Map<string, number>();
  const seen = new Map<string, number>();
  let lines = 0;
  let rest = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop()!;
    for (const l of parts) {
      const m = /^(s\d+) (\d+)$/.exec(l);
      if (!m) continue;
      lines++;
      max.set(m[1]!, Math.max(max.get(m[1]!) ?? 0, Number(m[2])));
      seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
    }
  }
  let lost = 0;
  for (const [s, n] of max) lost += n - (seen.get(s) ?? 0);
  return { lines, lost };
}

interface Result {
  readonly mode: string;
  readonly linesPerSecond: number;
  readonly lost: number;
  readonly cpu: number;
  /** Peak resident memory of the berth process (MB). */
  readonly peakMb: number;
  readonly keyMs?: number;
}

/** Peak resident set of a process so far, in MB (VmHWM). */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitRunning(env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const out = execFileSync(process.execPath, [BIN, 'ps'], { cwd, env, encoding: 'utf8' });
    if ((out.match(/ Up /g) ?? []).length === SERVICES) return;
    await sleep(100);
  }
  throw new Error('the services did not all start');
}

async function measure(mode: 'plain' | 'dashboard', env: NodeJS.ProcessEnv, dir: string, work: string): Promise<Result> {
  let pid: number;
  let child: ChildProcess | undefined;
  const tmux = mode === 'dashboard' ? startTmux(`bench${process.pid}`, work, env as Record<string, string>) : undefined;
  if (tmux) {
    tmux.run('up', `cd ${dir} && ${process.execPath} ${BIN} up`);
    await waitRunning(env, dir);
    const shell = Number(execFileSync('tmux', ['-L', `berth-test-bench${process.pid}`, 'display', '-p', '-t', 'main:up', '#{pane_pid}'], { encoding: 'utf8' }).trim());
    pid = paneBerthPid(shell) ?? shell;
  } else {
    const out = openSync(join(work, 'plain.out'), 'w');
    child = spawn(process.execPath, [BIN, '--progress', 'plain', 'up'], { cwd: dir, env, stdio: ['ignore', out, out] });
    closeSync(out);
    pid = child.pid!;
    await waitRunning(env, dir);
  }
  const before = await countLogs(env, dir);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const keys: number[] = [];
  if (tmux) {
    // key-to-screen latency while the logs pour in: from send-keys until the frame with the
    // help has reached the terminal
    const pipe = join(work, 'pane.out');
    writeFileSync(pipe, '');
    execFileSync('tmux', ['-L', `berth-test-bench${process.pid}`, 'pipe-pane', '-t', 'main:up', '-o', `cat >> ${pipe}`]);
    const shows = async (from: number, text: string, k0: number): Promise<boolean> => {
      for (;;) {
        if (readFileSync(pipe).subarray(from).includes(text)) return true;
        if (performance.now() - k0 > 5000) return false;
        await sleep(1);
      }
    };
    const deadline = t0 + SECONDS * 1000;
    for (let i = 0; i < KEYS && performance.now() < deadline; i++) {
      const from = readFileSync(pipe).length;
      const k0 = performance.now();
      tmux.keys('up', '?');
      if (await shows(from, 'any key closes', k0)) keys.push(performance.now() - k0);
      const back = readFileSync(pipe).length;
      tmux.keys('up', '?');
      await shows(back, 'Logs:', performance.now());
      await sleep(100);
    }
    const left = deadline - performance.now();
    if (left > 0) await sleep(left);
  } else await sleep(SECONDS * 1000);
  const cpu = cpuSeconds(pid) - cpu0;
  const peakMb = peakRssMb(pid);
  const seconds = (performance.now() - t0) / 1000;
  const after = await countLogs(env, dir);
  if (tmux) {
    tmux.keys('up', 'q');
    for (let i = 0; i < 300 && tmux.exitCode('up') === undefined; i++) await sleep(100);
    tmux.kill();
  } else {
    child!.kill('SIGINT');
    await new Promise((r) => child!.once('close', r));
  }
  execFileSync(process.execPath, [BIN, 'down', '-t', '1'], { cwd: dir, env, stdio: 'ignore' });
  return { mode, linesPerSecond: (after.lines - before.lines) / seconds, lost: after.lost, cpu: cpu / seconds, peakMb, ...(keys.length ? { keyMs: median(keys) } : {}) };
}

async function main(): Promise<void> {
  const reg = await startTestRegistry();
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-dash-'));
  const dir = join(work, 'benchdash');
  mkdirSync(dir);
  const loop = (i: number): string =>
    RATE > 0
      ? `i=0; while true; do j=0; while [ $$j -lt ${Math.max(1, Math.round(RATE / 100))} ]; do i=$$((i+1)); j=$$((j+1)); echo s${i} $$i; done; usleep 10000; done`
      : `i=0; while true; do i=$$((i+1)); echo s${i} $$i; done`;
  const services = Array.from({ length: SERVICES }, (_, i) => [`  s${i}:`, '    image: busybox:1.36', `    command: ["sh", "-c", "trap 'exit 0' TERM; ${loop(i)}"]`].join('\n'));
  writeFileSync(join(dir, 'compose.yaml'), `services:\n${services.join('\n')}\n`);
  // a user's shell: no BERTH_PROGRESS, no CI (either would keep the stream instead of the dashboard)
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'BERTH_PROGRESS' && k !== 'CI'));
  const env = { ...base, ...reg.mirrorEnv, BERTH_ROOT: join(work, 'root'), BERTH_RUN: join(work, 'run') };
  const results: Result[] = [];
  try {
    for (const mode of ['plain', 'dashboard'] as const) results.push(await measure(mode, env, dir, work));
  } finally {
    try {
      execFileSync(process.execPath, [BIN, 'down', '-v', '-t', '1'], { cwd: dir, env, stdio: 'ignore' });
    } catch {
      // already down
    }
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${availableParallelism()} CPUs; latency is mostly waiting for one)`);
  console.log(`attached berth up, ${SERVICES} services logging ${RATE > 0 ? `up to ${RATE} lines/s each` : 'flat out'}, ${SECONDS} s window`);
  console.log('mode        lines/s (log files)   lines lost   berth CPU (cores)   peak RSS MB   key-to-screen median ms');
  for (const r of results) {
    console.log(
      `${r.mode.padEnd(12)}${r.linesPerSecond.toFixed(0).padStart(19)}${String(r.lost).padStart(13)}${r.cpu.toFixed(2).padStart(20)}${r.peakMb.toFixed(0).padStart(14)}${(r.keyMs === undefined ? '-' : r.keyMs.toFixed(0)).padStart(26)}`,
    );
  }
  const [plain, dash] = results;
  if (plain && dash) console.log(`dashboard / plain CPU: ${(dash.cpu / plain.cpu).toFixed(2)}x (at most 2x)`);
}

await main();
