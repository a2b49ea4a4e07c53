// runInForeground: an attached `berth container run` as `crun run` does it. The container is
// prepared here (prepare.ts), then this process *becomes* its monitor: process.execve into
// `berth-shim run`, which clones the container, starts it as soon as it is ready, records
// state.json and exit.json, copies its output to the log and to our stdout/stderr, forwards
// signals, removes it afterwards when autoRemove is set, and exits with its exit code.
// No Node process waits beside the container, so none has to start the shim (node:child_process
// and a fork of a Node process), listen to it, or shut down after it (container start latency,
// bench/runtime). A failed create is reported by the shim on stderr, in the words the
// CLI would use, and the shim removes what was prepared.
import { BerthError } from '../errors.js';
import { prepareContainer, rollbackError, rollbackPrepared, type PrepareOptions } from './prepare.js';
import type { ContainerConfig, RuntimeContext } from './types.js';
import { trace } from '../util/trace.js';
const { accessSync, constants } = process.getBuiltinModule('node:fs');

/** Never returns on success: the process is the container's monitor from then on. */
export async function runInForeground(rt: RuntimeContext, config: ContainerConfig, options: Pick<PrepareOptions, 'onWarning'> = {}): Promise<never> {
  const prep = await prepareContainer(rt, config, { ...options, attach: true, foreground: true });
  trace('container run: prepared');
  // the code caches (Node's, and the bundle's: cli/bundle-loader.ts) are written at exit,
  // which execve skips: write them now
  process.getBuiltinModule('node:module').flushCompileCache?.();
  process.emit('berth:before-exec' as 'exit', 0);
  try {
    // checked first: a failed process.execve aborts the process on some Node versions
    accessSync(rt.shimPath, constants.X_OK);
    trace('container run: exec into the shim');
    process.execve!(rt.shimPath, [rt.shimPath, 'run', prep.paths.shimConf], process.env as Record<string, string>);
  } catch (err) {
    const e = new BerthError('runtime/shim', `container ${prep.id}: cannot start the shim: ${(err as Error).message}`, {
      cause: err,
      hint: 'build it with: node scripts/build-native.mjs',
    });
    throw rollbackError(prep.id, e, await rollbackPrepared(prep));
  }
  throw new BerthError('runtime/shim', `container ${prep.id}: process.execve returned`);
}
