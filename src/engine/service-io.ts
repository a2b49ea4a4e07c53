/**
 * Verbs on one service container's streams and filesystem: `attach` (its output until it
 * exits, signals forwarded) and `export` (its root filesystem as a tar archive).
 */
import type { AttachOptions, ExportOptions, ProjectSource } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { EngineContext } from './context.js';
import { observeProject } from './observe.js';
import { projectNameOf } from './project-source.js';
import { noContainerFor } from './errors.js';
import { followContainer } from './logs.js';
import { mergedTar } from '../image/index.js';
import type { ContainerState } from '../runtime/index.js';
const { Readable } = process.getBuiltinModule('node:stream');
const { pipeline } = process.getBuiltinModule('node:stream/promises');
const { createWriteStream, renameSync, rmSync } = process.getBuiltinModule('node:fs');
const { basename, dirname, join, resolve } = process.getBuiltinModule('node:path');

async function serviceContainer(ctx: EngineContext, source: ProjectSource, service: string, index = 1): Promise<{ name: string; state: ContainerState }> {
  const { name: project } = await projectNameOf(source);
  const snap = await observeProject(ctx, project);
  const c = snap.containers.find((x) => x.service === service && x.number === index && !x.oneoff);
  const state = c && snap.states.get(c.name);
  if (!c || !state) throw noContainerFor(service, project);
  return { name: c.name, state };
}

export async function attach(ctx: EngineContext, o: AttachOptions): Promise<number> {
  const { name, state } = await serviceContainer(ctx, o.source, o.service, o.index);
  if (state.status !== 'running') throw new BerthError('engine/not-running', `cannot attach to container ${name}: it is not running`, { hint: `start it first: berth start ${o.service}` });
  const stop = new AbortController();
  // --sig-proxy: SIGINT/SIGTERM go to the container (the CLI exits on a second one)
  const forward = (sig: NodeJS.Signals): void => void ctx.ports.runtime.kill(state.id, sig).catch(() => undefined);
  const signals = o.sigProxy === false ? [] : (['SIGINT', 'SIGTERM'] as const);
  for (const s of signals) process.prependListener(s, forward);
  const detach = (): void => stop.abort();
  if (o.sigProxy === false) o.signal?.addEventListener('abort', detach, { once: true });
  const write = (stream: NodeJS.WritableStream, text: string): void => void stream.write(`${text}\n`);
  const follow = followContainer(ctx, state, { follow: true, tail: 0, untilExit: true, signal: stop.signal }, (l) => write(l.stream === 'stderr' ? o.stderr : o.stdout, l.text));
  try {
    const exit = await ctx.ports.runtime.wait(state.id, stop.signal);
    await follow;
    return exit.exitCode;
  } finally {
    stop.abort();
    await follow.catch(() => undefined);
    for (const s of signals) process.off(s, forward);
    o.signal?.removeEventListener('abort', detach);
  }
}

export async function exportContainer(ctx: EngineContext, o: ExportOptions): Promise<void> {
  const { state } = await serviceContainer(ctx, o.source, o.service, o.index);
  if (!ctx.ports.runtime.rootfsLayers) throw new BerthError('engine/unsupported', 'export: this engine cannot read container filesystems');
  const layers = await ctx.ports.runtime.rootfsLayers(state.id);
  const signal = o.signal ? { signal: o.signal } : {};
  if (o.file === undefined) {
    if (!o.stdout) throw new BerthError('engine/unsupported', 'export: no file and no standard output to write the archive to');
    await pipeline(Readable.from(mergedTar(layers)), o.stdout, { end: false, ...signal });
    return;
  }
  const tmp = join(dirname(resolve(o.file)), `.${basename(o.file)}.${process.pid}.tmp`);
  try {
    await pipeline(Readable.from(mergedTar(layers)), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }), signal);
    renameSync(tmp, resolve(o.file));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
