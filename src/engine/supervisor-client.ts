/**
 * Starting and ending a project's detached supervisor. The pid file holds `pid starttime`
 * so a recycled pid is never mistaken for it.
 */
import type { EngineContext } from './context.js';
import { isAlive, processStartTime } from './lock.js';
import { projectDir } from './paths.js';
import type { ProjectSnapshot } from './observe.js';
const { spawn } = process.getBuiltinModule('node:child_process');
const { openSync, closeSync, readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const pidFile = (ctx: EngineContext, project: string): string => join(projectDir(ctx.paths, project), 'supervisor.pid');

export function supervisorPid(ctx: EngineContext, project: string): number | undefined {
  try {
    const [pid, start] = readFileSync(pidFile(ctx, project), 'utf8').trim().split(' ');
    const n = Number(pid);
    // a killed supervisor may linger as a zombie until its new parent reaps it: dead all the same
    return isAlive(n, start || undefined) && !isZombie(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The supervisor is long-lived and light on work: a young generation of 1 MB, one V8 worker
 * thread and a GC on the main thread cut its own memory (PSS) from ~20 MB to ~15 MB on a
 * 10-service project (bench/memory); its RSS is mostly the node binary, shared. No thread
 * waiting for SIGUSR1 to open an inspector (where this Node has the flag).
 */
const SUPERVISOR_NODE_FLAGS = ['--max-semi-space-size=1', '--v8-pool-size=1', '--single-threaded-gc', ...(process.allowedNodeEnvironmentFlags.has('--disable-sigusr1') ? ['--disable-sigusr1'] : [])];
/**
 * glibc's malloc for it (a caller's own settings win): two arenas at most, and freed memory
 * above 128 KB given back to the system instead of kept for reuse: its private memory (USS)
 * ~15.2 -> ~14.1 MB, steady, on a 10-service project (bench/memory).
 */
const SUPERVISOR_MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072' };

/** Starts the supervisor unless one runs. Returns its pid. */
export function ensureSupervisor(ctx: EngineContext, project: string): number {
  if (ctx.ports.supervisor) {
    ctx.ports.supervisor.ensure(project);
    return 0;
  }
  const running = supervisorPid(ctx, project);
  if (running) return running;
  const dir = projectDir(ctx.paths, project);
  const adopted = findSupervisors(ctx, project)[0];
  if (adopted) {
    writeFileSync(pidFile(ctx, project), `${adopted} ${processStartTime(adopted) ?? ''}\n`);
    return adopted;
  }
  mkdirSync(dir, { recursive: true });
  const logFd = openSync(join(dir, 'supervisor.log'), 'a');
  const main = join(import.meta.dirname, 'supervisor-main.js');
  // its code comes compiled from the bundle's private V8 cache (src/cli/bundle-loader.ts); a
  // NODE_COMPILE_CACHE from the caller's environment is not handed on (bytecode is code)
  const { NODE_COMPILE_CACHE: _inherited, ...env } = { ...process.env, ...ctx.env };
  const child = spawn(process.execPath, [...SUPERVISOR_NODE_FLAGS, main, project], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...SUPERVISOR_MALLOC, ...env, BERTH_ROOT: ctx.paths.root, BERTH_RUN: ctx.paths.run },
    cwd: '/',
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid!;
  writeFileSync(pidFile(ctx, project), `${pid} ${processStartTime(pid) ?? ''}\n`);
  return pid;
}

/**
 * A command noticing a dead supervisor (SIGKILLed, OOM-killed): it is started again when
 * the project has containers it must look after: running ones (DNS, healthchecks, restart on
 * exit) or exited ones not stopped by the user whose restart policy may bring them back.
 * Cheap and non-blocking (a pid check; a detached spawn at most, no lock), so reading
 * commands (ps, logs, events, exec) call it. Returns whether one was started.
 */
export function reviveSupervisor(ctx: EngineContext, snap: ProjectSnapshot): boolean {
  if (!supervisorNeeded(snap)) return false;
  if (ctx.ports.supervisor) {
    ctx.ports.supervisor.ensure(snap.project);
    return true;
  }
  if (supervisorPid(ctx, snap.project) !== undefined) return false;
  ensureSupervisor(ctx, snap.project);
  return true;
}

/** Whether the project has containers a supervisor must look after (see reviveSupervisor). */
export function supervisorNeeded(snap: Pick<ProjectSnapshot, 'record' | 'containers'>): boolean {
  const record = snap.record;
  if (!record) return false;
  return snap.containers.some((c) => {
    const entry = record.containers[c.name];
    if (!entry || entry.phase !== 'created') return false;
    if (c.status === 'running' || c.status === 'paused') return true;
    const restart = record.services[c.service]?.restart ?? 'no';
    return c.status === 'exited' && !c.oneoff && !entry.stoppedByUser && restart !== 'no' && restart !== 'none';
  });
}

/**
 * For a starting supervisor: whether the pid file names another live supervisor (two
 * commands revived it at once: the one whose pid was written last stays).
 */
export function anotherSupervisor(ctx: EngineContext, project: string, self: number): number | undefined {
  const pid = supervisorPid(ctx, project);
  return pid !== undefined && pid !== self ? pid : undefined;
}

/**
 * Supervisor processes of this project and state root found in /proc (argv and BERTH_ROOT
 * match), for the case where berth was killed between spawning one and writing
 * its pid file.
 */
function findSupervisors(ctx: EngineContext, project: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      // bundled (dist/bundle/cli/) or not (dist/src/engine/): a berth of either layout; node flags before it (or none: an older berth)
      const main = argv.findIndex((a, i) => i > 0 && a.endsWith('/supervisor-main.js'));
      if (main < 1 || argv.slice(1, main).some((a) => !a.startsWith('--')) || argv[main + 1] !== project) continue;
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (env.includes(`BERTH_ROOT=${ctx.paths.root}`)) out.push(Number(d));
    } catch {
      // gone or not ours to read
    }
  }
  return out;
}

/** Ends the supervisor (SIGTERM, then SIGKILL after `graceMs`); idempotent. */
export async function stopSupervisor(ctx: EngineContext, project: string, graceMs = 3000): Promise<void> {
  if (ctx.ports.supervisor) return ctx.ports.supervisor.stop(project);
  // A live pid file is the only supervisor (ensureSupervisor adopts an unrecorded one before
  // starting another); the /proc scan (~5-10 ms) is for a spawn whose pid file never got written.
  const recorded = supervisorPid(ctx, project);
  const pids = recorded !== undefined ? [recorded] : findSupervisors(ctx, project);
  await Promise.all(pids.map((pid) => endProcess(pid, graceMs)));
  rmSync(pidFile(ctx, project), { force: true });
}

async function endProcess(pid: number, graceMs: number): Promise<void> {
  {
    const start = processStartTime(pid);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
    const deadline = Date.now() + graceMs;
    while (isAlive(pid, start) && !isZombie(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (isAlive(pid, start) && !isZombie(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      const until = Date.now() + 1000;
      while (isAlive(pid, start) && !isZombie(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    }
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
