/**
 * A berth command the project's supervisor keeps running beside the stack: `up -d --watch`
 * records `berth watch --no-up ...` here, and the supervisor starts it, starts it again when
 * it ends (at most every 5 s), ends it when the record goes (`down`) or changes, or when the
 * supervisor itself ends. The child ends by itself when its parent is gone
 * (`BERTH_PARENT_PID`), so a supervisor killed with SIGKILL leaves no watcher behind.
 */
import type { ChildProcess } from 'node:child_process';
const { join } = process.getBuiltinModule('node:path');
const { readFileSync, writeFileSync, rmSync, mkdirSync } = process.getBuiltinModule('node:fs');
const { spawn } = process.getBuiltinModule('node:child_process');
const { fileURLToPath } = process.getBuiltinModule('node:url');

export interface SidecarRequest {
  /** berth's arguments (global flags, command, its flags). */
  readonly argv: readonly string[];
  readonly cwd: string;
}

const file = (projectDirPath: string): string => join(projectDirPath, 'sidecar.json');

/** Records the request (undefined: removes it). */
export function writeSidecar(projectDirPath: string, request: SidecarRequest | undefined): void {
  if (!request) {
    rmSync(file(projectDirPath), { force: true });
    return;
  }
  mkdirSync(projectDirPath, { recursive: true });
  writeFileSync(file(projectDirPath), `${JSON.stringify(request)}\n`);
}

export function readSidecar(projectDirPath: string): SidecarRequest | undefined {
  try {
    const v = JSON.parse(readFileSync(file(projectDirPath), 'utf8')) as Partial<SidecarRequest>;
    return Array.isArray(v.argv) && v.argv.every((a) => typeof a === 'string') && typeof v.cwd === 'string' ? { argv: v.argv, cwd: v.cwd } : undefined;
  } catch {
    return undefined;
  }
}

/** bin/berth, from dist/src/engine/ or dist/bundle/cli/ (both three levels below the package). */
const BIN = fileURLToPath(new URL('../../../bin/berth', import.meta.url));
const RESPAWN_MS = 5_000;

/** Keeps the recorded command running: `sync` on every supervisor scan, `close` at its end. */
export class SidecarKeeper {
  readonly #dir: string;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #child: ChildProcess | undefined;
  #running: string | undefined;
  #endedAt = 0;

  constructor(projectDirPath: string, log: (line: string) => void, now: () => number = Date.now) {
    this.#dir = projectDirPath;
    this.#log = log;
    this.#now = now;
  }

  sync(): void {
    const request = readSidecar(this.#dir);
    const key = request ? JSON.stringify(request) : undefined;
    if (this.#child && this.#running !== key) this.#stop();
    if (!request || this.#child || this.#now() - this.#endedAt < RESPAWN_MS) return;
    this.#log(`sidecar: berth ${request.argv.join(' ')}`);
    const child = spawn(process.execPath, [BIN, ...request.argv], {
      cwd: request.cwd,
      env: { ...process.env, BERTH_PROGRESS: 'plain', NO_COLOR: '1', BERTH_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.#child = child;
    this.#running = key;
    child.once('exit', (code, signal) => {
      if (this.#child === child) {
        this.#child = undefined;
        this.#endedAt = this.#now();
      }
      this.#log(`sidecar ended (${signal ?? code})`);
    });
  }

  #stop(): void {
    this.#child?.kill('SIGTERM');
    this.#child = undefined;
    this.#running = undefined;
  }

  close(): void {
    this.#stop();
  }
}
