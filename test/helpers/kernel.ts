// Helpers for real-kernel tests: root checks that skip with a printed reason, a private
// BERTH_ROOT per test file, and a leak check that every such test ends with.
import { mkdtempSync, readFileSync, readdirSync, existsSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bridgeNameFor, hostVethNameFor } from '../../src/network/names.js';

/** Returns a reason when the real-kernel tests cannot run here, or undefined when they can. */
export function kernelSkipReason(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root';
  return undefined;
}

/** Prints a skip line in a form the test runner log shows; returns true when skipping. */
export function skipUnlessKernel(suite: string, extra?: () => string | undefined): boolean {
  const reason = kernelSkipReason() ?? extra?.();
  if (reason) {
    console.log(`# skip ${suite}: ${reason}`);
    return true;
  }
  return false;
}

export interface TestRoots {
  /** $BERTH_ROOT for this test file. */
  readonly root: string;
  /** Runtime dir (/run/berth equivalent). */
  readonly run: string;
  /** A short unique tag for kernel object names (bridges, cgroups). */
  readonly tag: string;
  cleanup(): void;
}

/** A private BERTH_ROOT and run dir; tag is 5 hex chars so derived names stay short. */
export function makeTestRoots(prefix: string): TestRoots {
  const base = mkdtempSync(join(tmpdir(), `berth-test-${prefix}-`));
  const tag = Math.floor(Math.random() * 0xfffff)
    .toString(16)
    .padStart(5, '0');
  return {
    root: join(base, 'root'),
    run: join(base, 'run'),
    tag,
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** What berth may have left on the host that mentions `needle` (a root path or a tag). */
export function findLeaks(needle: string): string[] {
  const leaks: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line.includes(needle)) leaks.push(`mount: ${line.split(' ')[4]}`);
  }
  for (const name of readdirSync('/sys/class/net')) {
    if (name.includes(needle)) leaks.push(`link: ${name}`);
  }
  for (const dir of cgroupDirs()) {
    if (dir.includes(needle)) leaks.push(`cgroup: ${dir}`);
  }
  for (const pid of hostProcesses(needle)) leaks.push(`process ${pid}: ${cmdline(pid).slice(0, 120)}`);
  for (const dir of leftShimGroups()) leaks.push(`cgroup: ${dir} (the shims' group, empty, with no container beside it)`);
  return leaks;
}

/**
 * The shims' group (`berth/berth-shims`, shared by every stack on the host) where it should
 * be gone: empty while no container cgroup exists under any `berth/` (the last shim's end or
 * the last container's removal takes it). Another stack between its last shim's end and that
 * removal shows the same for a moment: a suspect is looked at again for up to ~1 s.
 */
export function leftShimGroups(): string[] {
  const suspects = (): string[] => {
    const dirs = cgroupDirs();
    const containers = dirs.some((d) => /\/berth\/[^/]+$/.test(d) && !d.endsWith('/berth/berth-shims'));
    if (containers) return [];
    return dirs.filter((d) => d.endsWith('/berth/berth-shims') && (readOr(join(d, 'cgroup.procs')) ?? 'x').trim() === '');
  };
  let left = suspects();
  for (let i = 0; i < 10 && left.length > 0; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    left = suspects();
  }
  return left;
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
}

export interface StackLinks {
  /** Remembers the ids of the containers under the root now (random ids: note them while they exist). */
  note(): void;
  /** This stack's links still on the host, sorted. */
  left(): string[];
}

/**
 * The links one stack made, never another test's (`bth…` names are hashes, so a host-wide
 * listing counts every stack running beside it): the bridges of its `networks` (real names,
 * `<project>_<key>`), the host ends of its containers' veths (named for container id and
 * network; ids are read from `root`'s containers/ at `note()` and `left()`), and any link
 * enslaved to one of its bridges.
 */
export function stackLinks(root: string, networks: readonly string[]): StackLinks {
  const bridges = new Set(networks.map((n) => bridgeNameFor(root, n)));
  const ids = new Set<string>();
  const note = (): void => {
    const dir = join(root, 'containers');
    if (existsSync(dir)) for (const id of readdirSync(dir)) ids.add(id);
  };
  const masterOf = (link: string): string | undefined => {
    try {
      return basename(readlinkSync(`/sys/class/net/${link}/master`));
    } catch {
      return undefined; // not enslaved, or gone
    }
  };
  return {
    note,
    left() {
      note();
      const veths = new Set([...ids].flatMap((id) => networks.map((n) => hostVethNameFor(root, id, n))));
      return readdirSync('/sys/class/net')
        .filter((l) => bridges.has(l) || veths.has(l) || bridges.has(masterOf(l) ?? ''))
        .sort();
    },
  };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return ''; // gone already
  }
}

/** The parent pid of `pid` (the field after the state in /proc/PID/stat); undefined when gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid`. */
export function childProcesses(pid: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((p) => parentOf(p) === pid);
}

/** Host pids (not this one) whose cmdline contains `needle` (zombies have none: they do not count). */
export function hostProcesses(needle: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .map(Number)
    .filter((pid) => cmdline(pid).includes(needle));
}

/** The value of a `Name: value` line of /proc/<pid>/status text. */
export const statusField = (text: string, key: string): string | undefined =>
  text
    .split('\n')
    .find((l) => l.startsWith(`${key}:`))
    ?.split(/\s+/)[1];

function cgroupDirs(): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !existsSync(dir)) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      out.push(p);
      if (depth < 3 || p.includes('berth')) walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return out;
}
