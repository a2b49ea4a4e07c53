// Priming the cgroup v1 attach. On cgroup v1 every cgroup.procs write takes a global percpu
// rwsem (cgroup_threadgroup_rwsem) for writing; the first writer after a quiet spell waits a
// whole RCU grace period (7-30 ms on this 2-core VM), later writers within about one grace
// period of the previous one take the fast path. A container start is one such first write,
// so the wait lands on the critical path. Re-writing this process's own pid into the cgroup
// it is already in (a no-op migration) starts that wait early, on a libuv pool thread, while
// the CLI loads modules and prepares the container; repeating it keeps the fast path open
// until the shim's own attach. v2 hosts place the container with clone3(CLONE_INTO_CGROUP),
// which takes no such lock: nothing to do there. Dependency-free (fs through node-fs.ts) so that the
// CLI can call it before it loads the rest of the runtime.
const { closeSync, existsSync, openSync, readFileSync, write, writeSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

/**
 * The chain's state, one per process (on globalThis): bin/berth starts priming for
 * `container run` from dist/src before the CLI bundle loads, and the bundle's own copy of
 * this module must drive that same chain, not start a second one.
 */
interface PrimeState {
  holds: number;
  deadline: number;
  running: boolean;
  inFlight: boolean;
  timer: NodeJS.Timeout | undefined;
  kick: (() => void) | undefined;
  /** One write on the calling thread (while the chain runs). */
  now: (() => void) | undefined;
  /** The cgroup.procs file the chain writes to (while it runs). */
  file: string | undefined;
}
const s = ((globalThis as Record<symbol, unknown>)[Symbol.for('berth.cgroup-prime')] ??= {
  holds: 0,
  deadline: 0,
  running: false,
  inFlight: false,
  timer: undefined,
  kick: undefined,
  now: undefined,
  file: undefined,
} satisfies PrimeState) as PrimeState;

/**
 * Starts (or extends) priming for at most `ms`; returns a release. Priming stops when every
 * hold is released or the deadline passes, whichever comes first. A call while priming runs
 * writes again at once (unless a write is in flight): call it just before the attach, since
 * a busy main thread can leave the chain waiting past the open window. Errors are ignored:
 * it is an optimisation only.
 */
export function primeCgroupAttach(cgroupRoot: string, ms = 250): () => void {
  s.holds++;
  s.deadline = Math.max(s.deadline, Date.now() + ms);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    if (--s.holds === 0) s.deadline = 0;
  };
  if (s.running) {
    if (!s.inFlight && s.timer) {
      clearTimeout(s.timer);
      s.kick?.();
    }
    return release;
  }
  const file = ownProcsFile(cgroupRoot);
  if (!file) return release;
  let fd: number;
  try {
    // opened here, so that each write is one pool job that starts at once (writeFile would
    // wait for the busy main thread between its open and its write)
    fd = openSync(file, 'w');
  } catch {
    return release;
  }
  s.running = true;
  s.file = file;
  const pid = Buffer.from(String(process.pid));
  const stop = (): void => {
    s.running = false;
    s.timer = s.kick = s.now = s.file = undefined;
    closeSync(fd);
  };
  const next = (): void => {
    s.timer = undefined;
    if (s.holds === 0 || Date.now() > s.deadline) return stop();
    s.inFlight = true;
    write(fd, pid, 0, pid.length, 0, (err) => {
      s.inFlight = false;
      if (err) return stop();
      // well inside one grace period, and only a few pool jobs per container start
      s.timer = setTimeout(next, 2).unref();
    });
  };
  s.kick = next;
  s.now = (): void => {
    try {
      writeSync(fd, pid, 0, pid.length, 0);
    } catch {
      // an optimisation only
    }
  };
  next();
  return release;
}

/**
 * One priming write now, on this thread, while priming runs: just before this process execs
 * into the shim (which ends the chain), so that the window of the fast path is open from the
 * exec on and still open at the shim's attach a few ms later. The chain alone cannot promise
 * that: its writes run only when the busy main thread gets to them, often once in all.
 * Waits behind a write in flight (the exec would wait for that thread anyway).
 */
export function primeNow(): void {
  s.now?.();
}

/**
 * The cgroup.procs file the priming writes to while it runs (v1), for the shim to write once
 * more at its start (plan-shim.ts `prime`): the exec into it ends this process's chain.
 */
export function primingFile(): string | undefined {
  return s.file;
}

/** This process's own cgroup.procs in a v1 hierarchy (pids preferred), or none on v2. */
function ownProcsFile(root: string): string | undefined {
  try {
    if (existsSync(join(root, 'cgroup.controllers'))) return undefined;
    const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
    for (const ctrl of ['pids', 'freezer', 'memory']) {
      const line = lines.find((l) => l.split(':')[1] === ctrl);
      if (!line) continue;
      const own = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
      const file = join(root, ctrl, own, 'cgroup.procs');
      if (own.startsWith('/') && existsSync(file)) return file;
    }
  } catch {
    // no /proc or no v1 hierarchy: nothing to prime
  }
  return undefined;
}
