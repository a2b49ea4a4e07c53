/**
 * `berth container ...` (ContainerService, src/api): single containers on berth's runtime,
 * outside compose projects. Each verb loads only the runtime parts it uses (src/load.ts):
 * an attached `run` loads the foreground path and nothing of the others.
 */
import type { ContainerService, EngineEvent, EventSink } from '../api/index.js';
import type { ContainerId, RuntimeContext } from '../runtime/index.js';
import type { Digest } from '../image/index.js';
import { UsageError } from '../errors.js';
import { berthRoot } from '../util/berth-dirs.js';
import { loadImageLocal, loadRuntime, loadRuntimeContext, loadRuntimeCreate, loadRuntimeForeground, loadRuntimeLean } from '../load.js';
import { buildRunConfig } from './container-config.js';
import { trace } from '../util/trace.js';
const { join } = process.getBuiltinModule('node:path');

type Env = Readonly<Record<string, string | undefined>>;

function warn(onEvent: EventSink | undefined): (message: string) => void {
  return (message) => onEvent?.({ kind: 'warning', message, time: Date.now() } satisfies EngineEvent);
}

/**
 * Holds (or releases) the image against `image prune`/`rm` while the container exists: one
 * empty file per container (image module's holds). Released by `container rm`, or after an
 * attached --rm run ends (the shim that removes it knows no image store).
 */
async function imageHold(env: Env, imageId: string, containerId: string, hold: boolean): Promise<void> {
  const { store, hold: holds } = await loadImageLocal();
  const s = store.openImageStore(join(berthRoot(env), 'images'));
  await (hold ? holds.holdImage : holds.releaseImage)(s, imageId as Digest, containerId);
}

export function containerService(env: Env): ContainerService {
  let lean: Promise<{ rt: RuntimeContext; m: Awaited<ReturnType<typeof loadRuntimeLean>> }> | undefined;
  const L = () => (lean ??= loadRuntimeLean().then((m) => ({ m, rt: m.context.runtimeContext(env) })));
  /** The id a name or id prefix names. */
  const resolve = async (ref: string): Promise<{ rt: RuntimeContext; id: ContainerId }> => {
    const { m, rt } = await L();
    return { rt, id: await m.state.resolveContainer(rt, ref) };
  };
  return {
    async create(o) {
      const [{ config, image }, { createContainer }, { rt }] = await Promise.all([buildRunConfig(o, env, 'create'), loadRuntimeCreate(), L()]);
      // As `run -d --rm`: a --rm container is removed by its shim, which knows no image store: no hold.
      const hold = image !== undefined && !config.autoRemove;
      if (hold) await imageHold(env, image.id, config.id, true);
      try {
        // the created container waits at its start gate; its output goes to the log
        await createContainer(rt, config, { attach: false, onWarning: warn(o.onEvent) });
      } catch (err) {
        if (hold) await imageHold(env, image.id, config.id, false).catch(() => undefined);
        throw err;
      }
      return config.id;
    },

    /**
     * Attached runs (no -d) end in runInForeground: this process becomes the container's
     * monitor and exits with its code, unless an image hold must be released after an
     * attached --rm run: then the shim is spawned and waited for, as -d does.
     */
    async run(o) {
      const detach = o.detach === true;
      // --rootfs never holds an image: its attached runs always go foreground (nothing loaded for the other path)
      const foreground = !detach && (o.flags.rootfs !== undefined || o.flags.rm !== true);
      // the foreground path and the runtime context only: an attached run execs into the shim
      const runtime = Promise.all([foreground ? loadRuntimeForeground() : loadRuntimeCreate(), loadRuntimeContext()]);
      runtime.catch(() => undefined); // awaited below; a usage error may come first
      const { config, image } = await buildRunConfig(o, env, 'run');
      trace('container run: config built');
      const [start, context] = await runtime;
      trace('container run: runtime loaded');
      const rt = context.runtimeContext(env);
      const id = config.id;
      // A detached --rm container is removed by its shim, which knows no image store: no hold.
      const hold = image !== undefined && !(detach && config.autoRemove);
      if (hold) await imageHold(env, image.id, id, true);
      const onWarning = warn(o.onEvent);
      try {
        if ('runInForeground' in start) return { id, exitCode: await start.runInForeground(rt, config, { onWarning }) };
        await start.createContainer(rt, config, { attach: !detach, start: true, onWarning });
      } catch (err) {
        if (hold) await imageHold(env, image.id, id, false).catch(() => undefined);
        throw err;
      }
      if (detach) return { id };
      const { m } = await L();
      const onAbort = (): void => void m.kill.killContainer(rt, id as ContainerId, 'SIGTERM').catch(() => undefined);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const exit = await m.wait.waitContainer(rt, id as ContainerId);
      o.signal?.removeEventListener('abort', onAbort);
      if (hold && config.autoRemove) await imageHold(env, image.id, id, false);
      if (exit.oomKilled) onWarning(`container ${id} was killed: out of memory`);
      return { id, exitCode: exit.exitCode };
    },

    async start(ref) {
      const { rt, id } = await resolve(ref);
      const { startOrRerunContainer } = await loadRuntime();
      await startOrRerunContainer(rt, id);
    },

    async startAttached(ref, o) {
      const { rt, id } = await resolve(ref);
      const { startAttached, killContainer } = await loadRuntime();
      // docker's --sig-proxy: a ^C (or SIGTERM) goes to the container; we stay attached until it exits
      const proxy = (): void => {
        const sig = /SIGTERM/.test(String((o.signal?.reason as Error | undefined)?.message)) ? 'SIGTERM' : 'SIGINT';
        killContainer(rt, id, sig).catch(() => undefined);
      };
      o.signal?.addEventListener('abort', proxy, { once: true });
      try {
        return (await startAttached(rt, id, { onLine: (l) => o.onLine(l) })).exitCode;
      } finally {
        o.signal?.removeEventListener('abort', proxy);
      }
    },

    async stop(ref, o) {
      const { rt, id } = await resolve(ref);
      const { m } = await L();
      await m.kill.stopContainer(rt, id, o);
    },
    async kill(ref, signal) {
      const { rt, id } = await resolve(ref);
      const { m } = await L();
      await m.kill.killContainer(rt, id, signal);
    },
    async pause(ref) {
      const { rt, id } = await resolve(ref);
      await (await loadRuntime()).pauseContainer(rt, id);
    },
    async unpause(ref) {
      const { rt, id } = await resolve(ref);
      await (await loadRuntime()).resumeContainer(rt, id);
    },

    async remove(ref, o) {
      const { rt, id } = await resolve(ref);
      const { m } = await L();
      // the image it holds; none for a half-made container without config.json
      let image: { id: string } | undefined;
      try {
        image = m.state.requireStored(rt, id).config.image;
      } catch {
        image = undefined;
      }
      await m.del.deleteContainer(rt, id, { force: o.force === true });
      if (image) await imageHold(env, image.id, id, false);
    },

    async wait(ref, signal) {
      const { rt, id } = await resolve(ref);
      const { m } = await L();
      return (await m.wait.waitContainer(rt, id, signal ? { signal } : {})).exitCode;
    },

    async exec(o) {
      const { rt, id } = await resolve(o.container);
      const { m: lean } = await L();
      const m = await loadRuntime();
      const stored = lean.state.requireStored(rt, id);
      const layers = 'dir' in stored.config.rootfs ? [stored.config.rootfs.dir] : stored.config.rootfs.lowerDirs;
      const user = o.user ? m.resolveUser(layers, o.user) : undefined;
      const common = {
        args: o.command,
        env: o.env ?? [],
        ...(o.workdir ? { cwd: o.workdir } : {}),
        ...(user ? { user } : {}),
        ...(o.privileged === true ? { privileged: true } : {}),
      };
      if (o.detach === true) {
        await m.execDetached(rt, id, common);
        return 0;
      }
      const { child, exit } = m.spawnExec(rt, id, { ...common, stdin: o.interactive === true || o.tty === true, tty: o.tty === true, ...(o.signal ? { signal: o.signal } : {}) });
      if (o.stdout) child.stdout?.pipe(o.stdout, { end: false });
      if (o.stderr) child.stderr?.pipe(o.stderr, { end: false });
      const tty = o.stdin as (NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): void }) | undefined;
      const raw = o.tty === true && tty?.isTTY === true && typeof tty.setRawMode === 'function';
      if (raw) tty.setRawMode!(true);
      if (child.stdin && o.stdin) o.stdin.pipe(child.stdin);
      try {
        return await exit;
      } finally {
        o.stdin?.unpipe?.();
        if (raw) tty.setRawMode!(false);
        if (child.stdin) (o.stdin as (NodeJS.ReadableStream & { pause?(): void }) | undefined)?.pause?.();
      }
    },

    async inspect(ref) {
      const { rt, id } = await resolve(ref);
      const { m } = await L();
      const stored = m.state.requireStored(rt, id);
      return { ...(await m.state.containerState(rt, id)), config: stored.config, capabilities: stored.caps };
    },

    async list() {
      const { m, rt } = await L();
      return (await m.state.listContainers(rt)).map((c) => ({ id: c.id, name: c.name, status: c.status, exitCode: c.exitCode, oomKilled: c.oomKilled, createdAt: c.createdAt, args: c.args }));
    },

    async stats(ref) {
      const { rt, id } = await resolve(ref);
      const s = await (await loadRuntime()).containerStats(rt, id);
      return { id: s.id, memoryBytes: s.memoryBytes, memoryLimitBytes: s.memoryLimitBytes, cpuNanos: s.cpuNanos, pids: s.pids };
    },

    async logs(ref, o) {
      if (o.tail !== undefined && (!Number.isInteger(o.tail) || o.tail < 0)) throw new UsageError(`invalid --tail ${o.tail}`);
      const { rt, id } = await resolve(ref);
      const { readLogs } = await loadRuntime();
      for await (const l of readLogs(rt, id, { follow: o.follow === true, tail: o.tail, since: o.since, ...(o.signal ? { signal: o.signal } : {}) })) o.onLine(l);
    },

    async commit(o) {
      const { commitContainer } = await import('./commit.js');
      const { rt, id } = await resolve(o.container);
      return commitContainer(env, rt, id, o);
    },
  };
}
