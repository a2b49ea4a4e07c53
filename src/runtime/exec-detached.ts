// `exec -d`: the shim starts the process in the running container and returns once it has
// exec'd, without waiting for it (no /bin/sh needed in the image). A host-side keeper
// process (native/shim/exec_detached.c) is its parent and reaps it; when the container
// stops, the process is killed with it. Output is discarded, as Docker's `exec -d` does.
import { BerthError } from '../errors.js';
import { lineSplitter, parseShimFailure, shimError, type ShimFailure } from '../native/index.js';
import { planExec, writeExecConfig } from './exec-config.js';
import type { DetachedExecOptions, RuntimeContext } from './types.js';
const { rmSync } = process.getBuiltinModule('node:fs');
const { spawn } = process.getBuiltinModule('node:child_process');

/** Resolves once the process runs; rejects (runtime/exec-not-found, runtime/syscall...) when it could not start. */
export function execDetached(rt: RuntimeContext, id: string, opts: DetachedExecOptions): Promise<void> {
  const conf = writeExecConfig(rt, id, planExec(rt, id, { ...opts, detach: true }));
  const child = spawn(rt.shimPath, ['exec', conf], { stdio: ['ignore', 'ignore', 'ignore', 'ignore', 'pipe'] });
  let failure: ShimFailure | undefined;
  (child.stdio[4] as NodeJS.ReadableStream).on(
    'data',
    lineSplitter((line) => {
      failure = parseShimFailure(line) ?? failure;
    }),
  );
  return new Promise<void>((resolve, reject) => {
    child.on('error', (err) => {
      rmSync(conf, { force: true });
      reject(new BerthError('runtime/shim', `exec -d in ${id}: cannot run the shim: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, sig) => {
      rmSync(conf, { force: true });
      if (code === 0) resolve();
      else if (failure) reject(shimError(id, failure));
      else reject(new BerthError('runtime/shim', `exec -d in ${id}: the shim ended with ${code ?? sig} before the process started`));
    });
  });
}
