// BERTH_ROOT and BERTH_RUN: their defaults and their mode. Both are made 0711 when missing
// (others may pass through to what a container is given, e.g. a user-namespaced container's
// layer, but not list or read), and an existing one owned by this user loses group/other
// read and write. Files that hold environment values, secrets or configs are written 0600
// by their writers.
const { chmodSync, mkdirSync, statSync } = process.getBuiltinModule('node:fs');

/** berth's state root (images, containers, volumes, networks, projects): `BERTH_ROOT`, default /var/lib/berth. */
export const DEFAULT_BERTH_ROOT = '/var/lib/berth';
/** Runtime-only state (pid files, netns bind mounts): `BERTH_RUN`, default /run/berth. */
export const DEFAULT_BERTH_RUN = '/run/berth';

type Env = Readonly<Record<string, string | undefined>>;

export const berthRoot = (env: Env): string => env.BERTH_ROOT ?? DEFAULT_BERTH_ROOT;
export const berthRun = (env: Env): string => env.BERTH_RUN ?? DEFAULT_BERTH_RUN;

export const STATE_ROOT_MODE = 0o711;

/**
 * Makes `dir` (and missing parents) 0711; tightens an existing one of ours (never a shared,
 * sticky directory such as /tmp). Idempotent.
 */
export function ensureStateRoot(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: STATE_ROOT_MODE });
  const st = statSync(dir);
  if (st.uid === process.geteuid?.() && (st.mode & 0o1000) === 0 && (st.mode & 0o066) !== 0) chmodSync(dir, st.mode & 0o711);
}
