// A new process in a running container: the shim joins its cgroup and namespaces (never
// Node) and applies the same identity and security settings.
import type { ChildProcess } from 'node:child_process';
import { BerthError } from '../errors.js';
import { lineSplitter, parseShimFailure, shimError, type ShimFailure } from '../native/index.js';
import { planExec, writeExecConfig } from './exec-config.js';
import type { ExecOptions, ExecResult, RuntimeContext } from './types.js';
const { rmSync } = process.getBuiltinModule('node:fs');
const { spawn } = process.getBuiltinModule('node:child_process');

export interface ExecProcess {
  readonly child: ChildProcess;
  /** Exit code (128+n when killed by signal n); rejects with a typed error when the shim failed. */
  readonly exit: Promise<number>;
}

/** Streaming form: the caller reads child.stdout/stderr (pipes) and awaits `exit`. */
export function spawnExec(rt: RuntimeContext, id: string, opts: ExecOptions): ExecProcess {
  const conf = writeExecConfig(rt, id, planExec(rt, id, opts));
  const child = spawn(rt.shimPath, ['exec', conf], { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'ignore', 'pipe'] });
  // Input that arrives after the process stopped reading (it ended, or closed its stdin) fails
  // with EPIPE: nothing to report (`exit` says how it ended), and unhandled it would end berth
  // with a stack trace (`berth exec` in a terminal, a key pressed as the command exits).
  child.stdin?.on('error', () => undefined);
  let failure: ShimFailure | undefined;
  (child.stdio[4] as NodeJS.ReadableStream).on(
    'data',
    lineSplitter((line) => {
      failure = parseShimFailure(line) ?? failure;
    }),
  );
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new BerthError('runtime/shim', `exec in ${id}: cannot run the shim: ${err.message}`, { cause: err })));
    child.on('close', (code, sig) => {
      rmSync(conf, { force: true });
      if (failure && failure.syscall !== 'execve' && code === 127) reject(shimError(id, failure));
      else resolve(code ?? 128 + (sig ? 9 : 0));
    });
  });
  if (opts.signal) opts.signal.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
  return { child, exit };
}

/** Runs a command in the container and collects its output, capped while it is read. */
export async function execInContainer(rt: RuntimeContext, id: string, opts: ExecOptions): Promise<ExecResult> {
  const { child, exit } = spawnExec(rt, id, opts);
  const max = opts.maxOutputBytes ?? 1 << 20;
  const collect = (stream: NodeJS.ReadableStream | null): (() => string) => {
    const kept: Buffer[] = [];
    let n = 0;
    // the process's output is always drained (a full pipe would stall it); past max it is dropped
    stream?.on('data', (d: Buffer) => {
      if (n < max) kept.push(d.subarray(0, max - n));
      n += d.length;
    });
    return () => Buffer.concat(kept).toString();
  };
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const exitCode = await exit;
  return { exitCode, stdout: out(), stderr: err() };
}
