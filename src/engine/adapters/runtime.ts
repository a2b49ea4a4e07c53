/** RuntimePort over src/runtime. A container that is already gone counts as stopped/removed. */
import {
  containerState,
  containerStats,
  createContainer,
  deleteContainer,
  execInContainer,
  killContainer,
  listContainers,
  pauseContainer,
  readLogs,
  resumeContainer,
  runtimeContext,
  spawnExec,
  startContainer,
  stopContainer,
  waitContainer,
} from '../../runtime/index.js';
import { BerthError, isBerthError } from '../../errors.js';

const CREATE_TIMEOUT_MS = 60_000;
import type { RuntimePort } from '../ports.js';

const gone = (err: unknown): boolean => isBerthError(err) && err.code === 'runtime/not-found';

export function runtimePort(env: Readonly<Record<string, string | undefined>>): RuntimePort {
  const rt = runtimeContext(env);
  return {
    async create(config, onCreated) {
      // a shim that never reports must not hang `up`: bounded, and the caller tears down
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BerthError('engine/timeout', `container ${config.name ?? config.id}: create did not finish within ${CREATE_TIMEOUT_MS / 1000} s`)), CREATE_TIMEOUT_MS);
      });
      try {
        await Promise.race([createContainer(rt, config, onCreated ? { onCreated } : {}), limit]);
      } finally {
        clearTimeout(timer);
      }
    },
    start: (id) => startContainer(rt, id),
    async stop(id, options) {
      try {
        await stopContainer(rt, id, options);
      } catch (err) {
        if (!gone(err)) throw err;
      }
    },
    kill: (id, signal) => killContainer(rt, id, signal),
    wait: (id, signal) => waitContainer(rt, id, signal ? { signal } : {}),
    remove: (id) => deleteContainer(rt, id, { force: true }),
    state: (id) => containerState(rt, id),
    list: () => listContainers(rt),
    exec: (id, options) => execInContainer(rt, id, options),
    async execAttached(id, options, { stdin, stdout, stderr }) {
      const { child, exit } = spawnExec(rt, id, { ...options, ...(stdin ? { stdin: true } : {}) });
      if (stdin && child.stdin) stdin.pipe(child.stdin);
      if (stdout) child.stdout?.on('data', (d: Buffer) => stdout.write(d));
      if (stderr) child.stderr?.on('data', (d: Buffer) => stderr.write(d));
      try {
        return await exit;
      } finally {
        if (stdin && child.stdin) stdin.unpipe(child.stdin);
      }
    },
    async *logs(id, options) {
      try {
        yield* readLogs(rt, id, options);
      } catch (err) {
        if (!gone(err)) throw err;
      }
    },
    pause: (id) => pauseContainer(rt, id),
    resume: (id) => resumeContainer(rt, id),
    stats: (id) => containerStats(rt, id),
  };
}
