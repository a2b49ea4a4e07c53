// Shared setup for the runtime's real-kernel tests: private roots, a busybox rootfs built
// by the fixture script, and `runIn` (one container per check, output from its log).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTestRoots, type TestRoots } from '../helpers/kernel.js';
import { createContainer, startContainer } from '../../src/runtime/create.js';
import { runtimeContext } from '../../src/runtime/context.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { readLogs } from '../../src/runtime/logs.js';
import { listContainers } from '../../src/runtime/state.js';
import { waitContainer } from '../../src/runtime/wait.js';
import type { ContainerConfig, RuntimeContext } from '../../src/runtime/types.js';

export interface Harness {
  readonly roots: TestRoots;
  readonly rt: RuntimeContext;
  readonly rootfs: string;
  nextId(): string;
  runIn(args: readonly string[], extra?: Partial<ContainerConfig>): Promise<RunResult>;
  sh(script: string, extra?: Partial<ContainerConfig>): Promise<RunResult>;
  teardown(): Promise<void>;
}

export interface RunResult {
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export function makeHarness(prefix: string, extraEnv: Readonly<Record<string, string>> = {}): Harness {
  const roots = makeTestRoots(prefix);
  const repo = join(import.meta.dirname, '..', '..', '..');
  const rootfs = join(roots.root, '..', 'busybox');
  execFileSync(join(repo, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [rootfs]);
  const rt = runtimeContext({ BERTH_ROOT: roots.root, BERTH_RUN: roots.run, BERTH_SHIM: join(repo, 'native', 'build', 'berth-shim'), ...extraEnv });
  let n = 0;
  const nextId = (): string => `bth${roots.tag}-${++n}`;
  const runIn = async (args: readonly string[], extra: Partial<ContainerConfig> = {}): Promise<RunResult> => {
    const id = nextId();
    const config: ContainerConfig = { id, rootfs: { dir: rootfs }, ...extra, process: { ...extra.process, args } };
    try {
      await createContainer(rt, config);
      await startContainer(rt, id);
      const exit = await waitContainer(rt, id, { timeoutMs: 30_000 });
      let stdout = '';
      let stderr = '';
      for await (const l of readLogs(rt, id)) {
        if (l.stream === 'stdout') stdout += l.text;
        else stderr += l.text;
      }
      return { exitCode: exit.exitCode, oomKilled: exit.oomKilled, stdout, stderr };
    } catch (err) {
      throw plainError(err);
    } finally {
      await deleteContainer(rt, id, { force: true });
    }
  };
  return {
    roots,
    rt,
    rootfs,
    nextId,
    runIn,
    sh: (script, extra) => runIn(['sh', '-c', script], extra),
    async teardown() {
      for (const c of await listContainers(rt)) await deleteContainer(rt, c.id, { force: true }).catch(() => undefined);
      roots.cleanup();
    },
  };
}

/** uvu's reporter reads `err.details` as a string; BerthError.details is an object. */
export function plainError(err: unknown): Error {
  if (err instanceof Error && 'code' in err) {
    const e = new Error(`${String((err as { code: unknown }).code)}: ${err.message}`);
    if (err.stack !== undefined) e.stack = err.stack;
    return e;
  }
  return err as Error;
}

/** uvu's `test` whose failures are always plain Errors (see plainError). */
export function safeTest(test: (name: string, fn: () => Promise<void> | void) => void): (name: string, fn: () => Promise<void> | void) => void {
  return (name, fn) =>
    test(name, async () => {
      try {
        await fn();
      } catch (err) {
        throw plainError(err);
      }
    });
}
