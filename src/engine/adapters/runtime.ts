/**
 * RuntimePort over src/runtime, loaded on first use (a `ps` does not pay for the create
 * path's modules). A container that is already gone counts as stopped/removed.
 */
import { BerthError, isBerthError } from '../../errors.js';
import type { RuntimeContext } from '../../runtime/index.js';
import type { RuntimePort } from '../ports.js';
import { loadRuntime, loadRuntimeLayout, loadRuntimeLean, loadRuntimeListening } from '../../load.js';

const CREATE_TIMEOUT_MS = 60_000;

type RuntimeModule = Awaited<ReturnType<typeof loadRuntime>>;
type Lean = Awaited<ReturnType<typeof loadRuntimeLean>> & { rt: RuntimeContext };

const gone = (err: unknown): boolean => isBerthError(err) && err.code === 'runtime/not-found';

/** A shim that never reports must not hang `up`: bounded, and the caller tears down. */
async function bounded(config: { id: string; name?: string }, create: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BerthError('engine/timeout', `container ${config.name ?? config.id}: create did not finish within ${CREATE_TIMEOUT_MS / 1000} s`)), CREATE_TIMEOUT_MS);
  });
  try {
    await Promise.race([create, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function runtimePort(env: Readonly<Record<string, string | undefined>>): RuntimePort {
  let loaded: Promise<{ m: RuntimeModule; rt: RuntimeContext }> | undefined;
  const R = (): Promise<{ m: RuntimeModule; rt: RuntimeContext }> => (loaded ??= loadRuntime().then((m) => ({ m, rt: m.runtimeContext(env) })));
  // Queries and teardown (ps, logs, stop, down) load only their own modules, not the create
  // path's (shim config, seccomp, capabilities, ...): a few ms of every such command.
  let lean: Promise<Lean> | undefined;
  const Q = (): Promise<Lean> => (lean ??= loadRuntimeLean().then((m) => ({ ...m, rt: m.context.runtimeContext(env) })));
  return {
    async create(config, onCreated, onWarning) {
      const { m, rt } = await R();
      await bounded(config, m.createContainer(rt, config, { ...(onCreated ? { onCreated } : {}), ...(onWarning ? { onWarning } : {}) }));
    },
    async recreate(config, onCreated, onWarning) {
      const { m, rt } = await R();
      await m.deleteContainer(rt, config.id, { force: true, keepLayer: true });
      await bounded(config, m.createContainer(rt, config, { reuseLayer: true, ...(onCreated ? { onCreated } : {}), ...(onWarning ? { onWarning } : {}) }));
    },
    async writeHosts(id, text) {
      const { m, rt } = await R();
      m.writeHostsFile(rt, id, text);
    },
    async etcFiles(id) {
      const [{ rt }, layout] = await Promise.all([Q(), loadRuntimeLayout()]);
      return layout.initFilePaths(rt, id);
    },
    async start(id) {
      const { m, rt } = await R();
      await m.startContainer(rt, id);
    },
    async stop(id, options) {
      const { kill, rt } = await Q();
      try {
        return await kill.stopContainer(rt, id, options);
      } catch (err) {
        if (!gone(err)) throw err;
        return 'not-running';
      }
    },
    async kill(id, signal) {
      const { kill, rt } = await Q();
      await kill.killContainer(rt, id, signal);
    },
    async wait(id, signal) {
      const { wait, rt } = await Q();
      return wait.waitContainer(rt, id, signal ? { signal } : {});
    },
    async remove(id) {
      const { del, rt } = await Q();
      await del.deleteContainer(rt, id, { force: true });
    },
    async listening(id) {
      const [{ listeningPorts }, { rt }] = await Promise.all([loadRuntimeListening(), Q()]);
      return listeningPorts(rt, id);
    },
    async state(id) {
      const { state, rt } = await Q();
      return state.containerState(rt, id);
    },
    async list() {
      const { state, rt } = await Q();
      return state.listContainers(rt);
    },
    async exec(id, options) {
      const { m, rt } = await R();
      return m.execInContainer(rt, id, options);
    },
    async execDetached(id, options) {
      const { m, rt } = await R();
      await m.execDetached(rt, id, options);
    },
    async execAttached(id, options, { stdin, stdout, stderr }) {
      const { m, rt } = await R();
      const { child, exit } = m.spawnExec(rt, id, { ...options, ...(stdin ? { stdin: true } : {}) });
      if (stdin && child.stdin) stdin.pipe(child.stdin);
      // piped, not written on 'data': a slow reader (cp's extractor) holds the process back
      if (stdout) child.stdout?.pipe(stdout, { end: false });
      if (stderr) child.stderr?.pipe(stderr, { end: false });
      try {
        return await exit;
      } finally {
        if (stdin && child.stdin) stdin.unpipe(child.stdin);
      }
    },
    async *logs(id, options) {
      const { m, rt } = await R();
      try {
        yield* m.readLogBatches(rt, id, options);
      } catch (err) {
        if (!gone(err)) throw err;
      }
    },
    async pause(id) {
      const { m, rt } = await R();
      await m.pauseContainer(rt, id);
    },
    async resume(id) {
      const { m, rt } = await R();
      await m.resumeContainer(rt, id);
    },
    async stats(id) {
      const { m, rt } = await R();
      return m.containerStats(rt, id);
    },
    async rootfsLayers(id) {
      const { m, rt } = await R();
      return m.rootfsLayers(rt, id);
    },
  };
}
