// End-to-end harness: the real `berth` CLI (child processes, so the detached supervisor and
// the lock are real) against a private BERTH_ROOT/BERTH_RUN and a loopback registry mirror
// seeded with busybox:1.36. Every scenario ends with `down -v` and a leak check.
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestRoots, findLeaks, type TestRoots } from '../helpers/kernel.js';
import { startTestRegistry, type TestRegistry } from '../helpers/registry.js';

const BIN = join(import.meta.dirname, '..', '..', 'src', 'main.js');
/** The repository root (this file runs from dist/test/e2e/). */
export const REPO = join(import.meta.dirname, '..', '..', '..');

export interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface Stack {
  readonly roots: TestRoots;
  readonly project: string;
  readonly dir: string;
  readonly env: Record<string, string>;
  berth(args: readonly string[], options?: { timeoutMs?: number; stdin?: string }): Promise<Result>;
  /** Starts berth without waiting (attached up); returns the child. */
  spawn(args: readonly string[]): import('node:child_process').ChildProcess & { output(): string };
  teardown(): Promise<string[]>;
}

let registry: TestRegistry | undefined;

export async function sharedRegistry(): Promise<TestRegistry> {
  registry ??= await startTestRegistry();
  return registry;
}

export async function stopRegistry(): Promise<void> {
  await registry?.stop();
  registry = undefined;
}

/** A project folder `<tmp>/<scenario><tag>` with test/e2e/<scenario>/ (its compose file) copied in. */
export async function makeStack(scenario: string, composeDir = join(REPO, 'test', 'e2e', scenario)): Promise<Stack> {
  const reg = await sharedRegistry();
  const roots = makeTestRoots(`e2e-${scenario}`);
  const project = `${scenario.replace(/[^a-z0-9]/g, '').slice(0, 12)}${roots.tag}`;
  const dir = join(roots.root, '..', project);
  mkdirSync(dir, { recursive: true });
  cpSync(composeDir, dir, { recursive: true, filter: (p) => !p.endsWith('.test.js') && !p.endsWith('.test.ts') });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...reg.mirrorEnv,
    BERTH_ROOT: roots.root,
    BERTH_RUN: roots.run,
    BERTH_PROGRESS: 'plain',
    NO_COLOR: '1',
  };
  const berth = async (args: readonly string[], options: { timeoutMs?: number; stdin?: string } = {}): Promise<Result> => {
    const r = await execa(process.execPath, [BIN, ...args], {
      cwd: dir,
      env,
      extendEnv: false,
      input: options.stdin ?? '',
      reject: false,
      stripFinalNewline: false,
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    if (r.timedOut) throw new Error(`berth ${args.join(' ')}: timed out\n${r.stdout}\n${r.stderr}`);
    return { code: r.exitCode ?? -1, out: r.stdout, err: r.stderr };
  };
  return {
    roots,
    project,
    dir,
    env,
    berth,
    spawn(args) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
      return Object.assign(child, { output: () => text });
    },
    async teardown() {
      await berth(['down', '-v', '-t', '1']).catch(() => undefined);
      await berth(['-p', project, 'down', '-v', '-t', '1']).catch(() => undefined);
      const leaks = [...findLeaks(roots.root), ...findLeaks(project)];
      roots.cleanup();
      return leaks;
    },
  };
}

export { poll } from '../helpers/poll.js';

export async function httpGet(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.text();
}

export function writeFile(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}
