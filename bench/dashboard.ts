// bench/dashboard: what the dashboard costs. 10 services log numbered lines as fast as
// --rate allows (lines/s per service, in bursts every 10 ms; default 2000; 0 = flat out) for
// --seconds (default 10) under attached `berth up`, once with `--progress plain` to a file and
// once with the dashboard in a tmux pane (100x30). Measured: lines/s reaching the log files and
// lines lost, both read from the log files themselves once the stack has stopped (each
// service's lines must be numbered 1, 2, 3 ... with none missing or out of order; the services
// log with max-size 20g, so nothing is rotated away), CPU of the berth process (utime+stime
// over the window), its peak RSS, how long it took to stop, and for the dashboard the
// key-to-screen latency (`?` sent with tmux send-keys until the help's first frame reaches the
// pane: its output is copied to a file with pipe-pane, read every ms; capture-pane itself takes
// ~50 ms here). The peer is plain mode: the dashboard may cost at most 2x its CPU. Plain mode's
// lines printed in the window are counted too (CPU per line printed: it prints every line).
// Usage (root, tmux installed): node dist/bench/dashboard.js [--rate 0] [--seconds 10] [--keys 20] [--max-size 20g] [--profile DIR]
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
// --profile DIR: berth runs with --cpu-prof into DIR (plain.cpuprofile, dashboard.cpuprofile)
// --max-size SIZE: the services' logging max-size (default 20g: nothing rotates; berth's own default is 10m, 2 files)
const MAX_SIZE = process.argv.includes('--max-size') ? process.argv[process.argv.indexOf('--max-size') + 1] : '20g';
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
const nodeArgs = (mode: string): string[] => (PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`, `--cpu-prof-name=${mode}.cpuprofile`] : []);
const SERVICES = 10;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'berth');
const TICKS = 100; // clock ticks per second (/proc/<pid>/stat)

if (process.getuid?.() !== 0 || tmuxSkipReason()) {
  console.log(`bench/dashboard: ${process.getuid?.() !== 0 ? 'needs root' : tmuxSkipReason()}`);
  process.exit(0);
}

const percentile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const median = (xs: readonly number[]): number => percentile(xs, 0.5);

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

/** The berth process under `pid` (a tmux pane's shell; bin/berth on an older Node re-runs itself on Node 24 as its child). */
function berthUnder(pid: number): number {
  for (;;) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    const next = children.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('bin/berth'));
    if (next === undefined) return pid;
    pid = next;
  }
}

/** Each container's log files under the run's BERTH_ROOT, oldest first (rotated <log>.N .. <log>.1, then the log). */
function containerLogs(root: string): string[][] {
  const dir = join(root, 'containers');
  const out: string[][] = [];
  for (const id of existsSync(dir) ? readdirSync(dir) : []) {
    const log = join(dir, id, 'container.log');
    if (!existsSync(log)) continue;
    const files = [log];
    for (let i = 1; existsSync(`${log}.${i}`); i++) files.unshift(`${log}.${i}`);
    out.push(files);
  }
  return out;
}

/** The live log files' sizes now (bytes), by path: a cut through each file at one moment. */
function logSizes(root: string): Map<string, number> {
  return new Map(containerLogs(root).map((files) => [files[files.length - 1]!, statSync(files[files.length - 1]!).size]));
}

interface FileCount {
  /** Lines in the live log files between the two cuts. */
  readonly window: number;
  /** Every line of every file: numbered lines seen, and the numbers missing (gaps) or out of order. */
  readonly lines: number;
  readonly lost: number;
  readonly disordered: number;
  readonly rotated: number;
  /** The first lines of services whose oldest rotated file was dropped (max-file): rotation's, not lost. */
  readonly away: number;
}

/**
 * Reads the log files themselves (the shim's JSON lines) once the stack has stopped: each
 * service's lines must be numbered 1, 2, 3 ... with none missing, doubled or out of order.
 */
function countFiles(root: string, from: Map<string, number>, to: Map<string, number>): FileCount {
  const next = new Map<string, number>();
  let window = 0;
  let lines = 0;
  let lost = 0;
  let disordered = 0;
  let rotated = 0;
  let away = 0;
  const buf = Buffer.alloc(4 << 20);
  const line = /"log":"(s\d+) (\d+)\\n"\}\n/g;
  for (const files of containerLogs(root)) {
    rotated += files.length - 1;
    for (const file of files) {
      const [a, b] = [from.get(file) ?? Infinity, to.get(file) ?? Infinity];
      const fd = openSync(file, 'r');
      try {
        let at = 0;
        let rest = '';
        for (let n: number; (n = readSync(fd, buf, 0, buf.length, at)) > 0; at += n) {
          // ASCII lines: string index = byte offset
          const text = rest + buf.toString('latin1', 0, n);
          const base = at - rest.length;
          const cut = text.lastIndexOf('\n') + 1;
          rest = text.slice(cut);
          line.lastIndex = 0;
          for (let m = line.exec(text); m && m.index < cut; m = line.exec(text)) {
            const end = base + line.lastIndex;
            if (end > a && end <= b) window++;
            lines++;
            const want = next.get(m[1]!) ?? 1;
            const got = Number(m[2]);
            if (got > want && !next.has(m[1]!) && files.length > 1) {
              // the oldest lines of a rotated log, in a file the rotation dropped (max-file)
              away += got - want;
              next.set(m[1]!, got + 1);
            } else if (got === want) next.set(m[1]!, got + 1);
            else if (got > want) {
              lost += got - want;
              next.set(m[1]!, got + 1);
            } else disordered++;
          }
        }
      } finally {
        closeSync(fd);
      }
    }
  }
  return { window, lines, lost, disordered, rotated, away };
}

interface Result {
  readonly mode: string;
  readonly linesPerSecond: number;
  readonly lines: number;
  readonly lost: number;
  readonly disordered: number;
  readonly rotated: number;
  readonly away: number;
  readonly cpu: number;
  /** Plain mode: lines berth printed in the window, per second (the dashboard shows a screen's share: not counted). */
  readonly shownPerSecond: number | undefined;
  /** Plain mode: numbers missing between two printed lines of a service, and lines printed out of order. */
  readonly printed: { readonly lost: number; readonly disordered: number } | undefined;
  /** Peak resident memory of the berth process (MB). */
  readonly peakMb: number;
  /** Key-to-screen latencies (ms), in the order measured. */
  readonly keys: readonly number[];
  /** From the stop (SIGINT or q) until berth exited (s). */
  readonly stopSeconds: number;
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

/** A tmux control-mode client (`tmux -C`): sends keys as commands on its stdin and sees every pane's output as `%output` lines. */
function controlClient(socket: string) {
  const child = spawn('tmux', ['-L', socket, '-C', 'attach', '-t', 'main', '-f', 'ignore-size'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let heard = '';
  let waiting: { text: string; done: (ok: boolean) => void } | undefined;
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (d: string) => {
    if (!waiting) return;
    // output since the key only, and the tail of it (a text may arrive cut in two)
    heard = (heard + d).slice(-64 * 1024);
    if (heard.includes(waiting.text)) waiting.done(true);
  });
  return {
    /** Sends `key` to `target`; true once `text` comes out of a pane within `ms`. */
    key(target: string, key: string, text: string, ms: number): Promise<boolean> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => done(false), ms);
        const done = (ok: boolean): void => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(ok);
        };
        heard = '';
        waiting = { text, done };
        child.stdin.write(`send-keys -t ${target} ${key}\n`);
      });
    },
    close(): void {
      child.stdin.end();
      child.kill();
    },
  };
}

async function measure(mode: 'plain' | 'dashboard', env: NodeJS.ProcessEnv, dir: string, work: string): Promise<Result> {
  let pid: number;
  let child: ChildProcess | undefined;
  const root = env.BERTH_ROOT!;
  const socket = `berth-test-bench${process.pid}`;
  const tmux = mode === 'dashboard' ? startTmux(`bench${process.pid}`, work, env as Record<string, string>) : undefined;
  try {
    if (tmux) {
      tmux.run('up', `cd ${dir} && ${[process.execPath, ...nodeArgs(mode), BIN].join(' ')} up`);
      await waitRunning(env, dir);
      const shell = Number(execFileSync('tmux', ['-L', socket, 'display', '-p', '-t', 'main:up', '#{pane_pid}'], { encoding: 'utf8' }).trim());
      pid = berthUnder(shell);
    } else {
      const out = openSync(join(work, 'plain.out'), 'w');
      child = spawn(process.execPath, [...nodeArgs(mode), BIN, '--progress', 'plain', 'up'], { cwd: dir, env, stdio: ['ignore', out, out] });
      closeSync(out);
      await waitRunning(env, dir);
      pid = berthUnder(child.pid!);
    }
    const printed = join(work, 'plain.out');
    const shown0 = tmux ? 0 : statSync(printed).size;
    const from = logSizes(root);
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const keys: number[] = [];
    if (tmux) {
      // key-to-screen latency while the logs pour in: from the key until the frame with the help
      // has come out of the pane. A tmux control-mode client sends the keys (no process started
      // per key) and hears the pane's output as it happens (%output)
      const control = controlClient(socket);
      const deadline = t0 + SECONDS * 1000;
      try {
        for (let i = 0; i < KEYS && performance.now() < deadline; i++) {
          const k0 = performance.now();
          if (await control.key('main:up', '?', 'any key closes', 5000)) keys.push(performance.now() - k0);
          await control.key('main:up', '?', 'Logs:', 5000);
          await sleep(100);
        }
      } finally {
        control.close();
      }
      const left = deadline - performance.now();
      if (left > 0) await sleep(left);
    } else await sleep(SECONDS * 1000);
    const cpu = cpuSeconds(pid) - cpu0;
    const shown1 = tmux ? 0 : statSync(printed).size;
    const to = logSizes(root);
    const seconds = (performance.now() - t0) / 1000;
    const peakMb = peakRssMb(pid);
    const s0 = performance.now();
    if (tmux) {
      tmux.keys('up', 'q');
      for (let i = 0; i < 600 && tmux.exitCode('up') === undefined; i++) await sleep(100);
    } else {
      const closed = new Promise((r) => child!.once('close', r));
      child!.kill('SIGINT');
      const patience = new AbortController();
      await Promise.race([closed, sleep(60_000, undefined, { signal: patience.signal }).catch(() => undefined)]);
      patience.abort();
    }
    const stopSeconds = (performance.now() - s0) / 1000;
    const shown = tmux ? undefined : newlines(printed, shown0, shown1);
    const printedOrder = tmux ? undefined : printedInOrder(printed);
    if (isAlive(pid)) {
      console.log(`bench/dashboard: ${mode}: berth did not exit within 60 s of the stop; killing it (pid ${pid})`);
      process.kill(pid, 'SIGKILL');
    }
    if (child && child.exitCode === null) child.kill('SIGKILL');
    tmux?.kill();
    // the containers have stopped: every line they wrote is in the files
    execFileSync(process.execPath, [BIN, 'stop', '-t', '1'], { cwd: dir, env, stdio: 'ignore' });
    const count = countFiles(root, from, to);
    execFileSync(process.execPath, [BIN, 'down', '-t', '1'], { cwd: dir, env, stdio: 'ignore' });
    return {
      mode,
      linesPerSecond: count.window / seconds,
      lines: count.lines,
      lost: count.lost,
      disordered: count.disordered,
      rotated: count.rotated,
      away: count.away,
      cpu: cpu / seconds,
      shownPerSecond: shown === undefined ? undefined : shown / seconds,
      printed: printedOrder,
      peakMb,
      keys,
      stopSeconds,
    };
  } finally {
    // a failed run leaves no terminal or berth behind (the stack: main's down -v); tmux 3.3's
    // kill-server leaves its socket file
    tmux?.kill();
    if (tmux) rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Newlines in [from, to) of a file. */
function newlines(file: string, from: number, to: number): number {
  const buf = Buffer.alloc(4 << 20);
  const fd = openSync(file, 'r');
  let lines = 0;
  try {
    for (let at = from, n: number; at < to && (n = readSync(fd, buf, 0, Math.min(buf.length, to - at), at)) > 0; at += n) {
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** What plain mode printed (`s3-1  | s3 17`): each service's numbers must follow on one another (the print may stop before the end). */
function printedInOrder(file: string): { lost: number; disordered: number } {
  const next = new Map<string, number>();
  let lost = 0;
  let disordered = 0;
  for (const m of readFileSync(file, 'latin1').matchAll(/^(s\d+)-1 +\| s\d+ (\d+)$/gm)) {
    const [want, got] = [next.get(m[1]!) ?? Number(m[2]), Number(m[2])];
    if (got > want) lost += got - want;
    else if (got < want) disordered++;
    next.set(m[1]!, Math.max(want, got + 1));
  }
  return { lost, disordered };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
  const services = Array.from({ length: SERVICES }, (_, i) =>
    [`  s${i}:`, '    image: busybox:1.36', `    command: ["sh", "-c", "trap 'exit 0' TERM; ${loop(i)}"]`, '    logging:', '      options:', `        max-size: ${MAX_SIZE}`].join('\n'),
  );
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
  console.log(`attached berth up, ${SERVICES} services logging ${RATE > 0 ? `up to ${RATE} lines/s each` : 'flat out'}, ${SECONDS} s window; lines counted in the log files themselves`);
  console.log('mode        lines/s (log files)   lines in files   lost   out of order   berth CPU (cores)   peak RSS MB   stop s   key-to-screen ms median / p95 (n)');
  for (const r of results) {
    const keys = r.keys.length ? `${median(r.keys).toFixed(0)} / ${percentile(r.keys, 0.95).toFixed(0)} (${r.keys.length})` : '-';
    console.log(
      `${r.mode.padEnd(12)}${r.linesPerSecond.toFixed(0).padStart(19)}${String(r.lines).padStart(17)}${String(r.lost).padStart(7)}${String(r.disordered).padStart(15)}${r.cpu.toFixed(2).padStart(20)}${r.peakMb.toFixed(0).padStart(14)}${r.stopSeconds.toFixed(1).padStart(9)}   ${keys}`,
    );
    if (r.printed) console.log(`  ${r.mode}: printed ${r.printed.lost} lines short (numbers missing between printed lines), ${r.printed.disordered} out of order`);
    if (r.rotated > 0)
      console.log(
        `  ${r.mode}: ${r.rotated} rotated log files (lines counted across them; ${r.away} oldest lines in files the rotation dropped; lines/s over the window is not measured across a rotation)`,
      );
    if (r.keys.length)
      console.log(
        `  ${r.mode}: key-to-screen ms, sorted: ${[...r.keys]
          .sort((a, b) => a - b)
          .map((k) => k.toFixed(0))
          .join(' ')}`,
      );
  }
  const [plain, dash] = results;
  if (plain && dash) console.log(`dashboard / plain CPU: ${(dash.cpu / plain.cpu).toFixed(2)}x (at most 2x)`);
  // CPU per line: plain prints every line (per line printed in the window); the dashboard reads a screen's share (per line logged)
  console.log('\nper line (rows bench-ab compares)            value');
  for (const r of results) {
    console.log(`${`berth ${r.mode} CPU cores`.padEnd(44)}${r.cpu.toFixed(3).padStart(9)}`);
    if (r.shownPerSecond !== undefined) {
      console.log(`${`berth ${r.mode} lines/s printed`.padEnd(44)}${r.shownPerSecond.toFixed(0).padStart(9)}`);
      console.log(`${`berth ${r.mode} CPU us per line printed`.padEnd(44)}${((r.cpu / r.shownPerSecond) * 1e6).toFixed(2).padStart(9)}`);
    }
    console.log(`${`berth ${r.mode} CPU us per line logged`.padEnd(44)}${((r.cpu / r.linesPerSecond) * 1e6).toFixed(2).padStart(9)}`);
  }
}

await main();
