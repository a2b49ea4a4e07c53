/**
 * Kernel-touching steps for one container, each recorded in the project state before and
 * after it acts, so that a crash at any point leaves something `down` can finish:
 * create (spec file + entry `creating` -> runtime create with network attach at the sync
 * point -> `created`), start (+ publish ports), remove (stop, unpublish, detach, delete).
 */
import { runHooks } from './hooks.js';
import { BerthError, AggregateBerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import type { BuiltSpec } from './container-spec.js';
import type { StateStore } from './state-store.js';
import type { StopOutcome } from '../runtime/index.js';
import { archiveLogs, dropArchive } from './log-archive.js';
import { clearStartFailure, recordStartFailure, START_FAILED_EXIT } from './run-status.js';
import { hasFields, readJsonFile, writeJsonFile } from '../util/json-file.js';
const { mkdirSync, rmSync } = process.getBuiltinModule('node:fs');
const { randomBytes } = process.getBuiltinModule('node:crypto');
const { join } = process.getBuiltinModule('node:path');

/** What is kept per container to (re)create it without the compose file. */
export interface StoredSpec extends BuiltSpec {
  readonly project: string;
  readonly service: string;
  readonly number: number;
  readonly imageId: string;
  readonly oneoff?: boolean;
}

const isStoredSpec = (v: unknown): v is StoredSpec => hasFields(v, { project: 'string', service: 'string', number: 'number', config: 'object' });

export function newContainerId(name: string): string {
  return `${name.slice(0, 50)}-${randomBytes(4).toString('hex')}`;
}

function specFile(store: StateStore, name: string): string {
  return join(store.dir, 'containers', `${name}.json`);
}

export function readSpec(store: StateStore, name: string): StoredSpec | undefined {
  return readJsonFile(specFile(store, name), isStoredSpec, 'engine/state-corrupt');
}

function writeSpec(store: StateStore, name: string, spec: StoredSpec): void {
  mkdirSync(join(store.dir, 'containers'), { recursive: true });
  const f = specFile(store, name);
  // 0600: a container's spec holds its environment
  writeJsonFile(f, spec, { mode: 0o600 });
}

/** Creates the container in the runtime and wires its networks at the sync point. */
export async function createFromSpec(ctx: EngineContext, store: StateStore, spec: StoredSpec, options: { keepLayer?: boolean; beforeAttach?: () => Promise<void> } = {}): Promise<void> {
  const { config } = spec;
  const name = config.name ?? config.id;
  const who = { project: spec.project, service: spec.service, container: name, id: config.id };
  writeSpec(store, name, spec);
  store.setContainer(name, { id: config.id, service: spec.service, number: spec.number, phase: 'creating', ...(spec.oneoff ? { oneoff: true } : {}) });
  emit(ctx, { kind: 'container', action: 'creating', ...who });
  await ctx.ports.images.hold(spec.imageId, config.id);
  try {
    const wire = async ({ netnsPath }: { netnsPath: string }): Promise<void> => {
      await options.beforeAttach?.();
      const endpoints = spec.attachments.length > 0 ? await ctx.ports.network.attach(config.id, netnsPath, spec.attachments) : [];
      // Docker's /etc/hosts names the container's own address (known only now, at the sync
      // point) and the compose file's extra_hosts.
      const addresses = endpoints.map((e) => e.address).filter((a) => a !== '');
      const extraHosts = withHostGateway(spec.extraHosts ?? [], endpoints[0]?.gateway);
      // a spec with its own hosts (network_mode host/none) keeps it
      if (config.initFiles?.hosts === undefined && (addresses.length > 0 || extraHosts.length > 0)) {
        const hosts = await ctx.ports.network.hosts({ hostname: config.hostname ?? config.id.slice(0, 12), addresses, extraHosts });
        await ctx.ports.runtime.writeHosts(config.id, hosts);
      }
    };
    const warn = (message: string): void => emit(ctx, { kind: 'warning', message });
    if (options.keepLayer) await ctx.ports.runtime.recreate(config, wire, warn);
    else await ctx.ports.runtime.create(config, wire, warn);
  } catch (err) {
    if (options.keepLayer) throw await keepFailedRestart(ctx, store, spec, err);
    const cleanup = await teardown(ctx, config.id, spec.imageId);
    store.setContainer(name, undefined);
    rmSync(specFile(store, name), { force: true });
    const wrapped = err instanceof BerthError ? err : new BerthError('engine/create', `container ${name}: create failed: ${describe(err)}`, { cause: err });
    if (cleanup.length > 0) throw new AggregateBerthError(wrapped.code, wrapped.message, [err, ...cleanup]);
    throw wrapped;
  }
  store.setContainer(name, { id: config.id, service: spec.service, number: spec.number, phase: 'created', ...(spec.oneoff ? { oneoff: true } : {}) });
  emit(ctx, { kind: 'container', action: 'created', ...who });
}

/**
 * A container being created in two steps (up's `create` and `attach` operations): created
 * up to the shim's sync point, then wired to its networks and finished.
 */
export interface Creation {
  readonly id: string;
  /** Settles once the container waits at its sync point (rejects when the create failed before). */
  readonly paused: Promise<void>;
  /** Wires the network and lets the create finish; resolves when the container is created. */
  attach(): Promise<void>;
  /** The create fails with `reason` (torn down as any failed create); resolves when it ended. */
  abandon(reason: unknown): Promise<void>;
}

export function beginCreate(ctx: EngineContext, store: StateStore, spec: StoredSpec): Creation {
  let reached = (): void => undefined;
  const atSyncPoint = new Promise<void>((resolve) => (reached = resolve));
  let gate: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  const proceed = new Promise<void>((resolve, reject) => (gate = { resolve, reject }));
  proceed.catch(() => undefined);
  const done = createFromSpec(ctx, store, spec, {
    beforeAttach: () => {
      reached();
      return proceed;
    },
  });
  done.catch(() => undefined); // awaited by attach() or abandon()
  return {
    id: spec.config.id,
    paused: Promise.race([atSyncPoint, done]),
    attach: () => {
      gate!.resolve();
      return done;
    },
    abandon: (reason) => {
      gate!.reject(reason);
      return done.then(
        () => undefined,
        () => undefined,
      );
    },
  };
}

/** Starts a created container and publishes its ports. */
export async function startCreated(ctx: EngineContext, store: StateStore, spec: StoredSpec): Promise<void> {
  const name = spec.config.name ?? spec.config.id;
  const who = { project: spec.project, service: spec.service, container: name, id: spec.config.id };
  emit(ctx, { kind: 'container', action: 'starting', ...who });
  const entry = store.read()?.containers[name];
  if (entry?.stoppedByUser) store.setContainer(name, { ...entry, stoppedByUser: false });
  await ctx.ports.runtime.start(spec.config.id);
  if (spec.ports.length > 0) {
    const published = await ctx.ports.network.publish(spec.config.id, spec.service, spec.ports);
    store.writePorts(
      name,
      published.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol })),
    );
  }
  await runHooks(ctx, spec.config.id, spec.hooks?.postStart, `container ${name}: post_start`);
  emit(ctx, { kind: 'container', action: 'started', ...who });
}

/**
 * Best-effort undo of everything around one container id; returns the errors. The network
 * side (files, veths, port rules) and the runtime side (cgroup, layer dirs) are independent
 * once the container has stopped, so they run side by side.
 */
async function teardown(ctx: EngineContext, id: string, imageId: string | undefined, options: { keepLinksOn?: readonly string[] } = {}): Promise<unknown[]> {
  const errors: unknown[] = [];
  const step = async (f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (err) {
      errors.push(err);
    }
  };
  await Promise.all([
    (async () => {
      await step(() => ctx.ports.network.unpublish(id));
      await step(() => ctx.ports.network.detach(id, options));
    })(),
    step(() => ctx.ports.runtime.remove(id)),
  ]);
  if (imageId) await step(() => ctx.ports.images.release(imageId, id));
  return errors;
}

/**
 * Stops (grace period, then SIGKILL) and deletes a container with its endpoints, port
 * rules and image hold. Marked `removing` first; idempotent. `recorded: false`: the caller
 * marked it (markRemoving) and forgets it afterwards (forgetContainers), for many at once.
 */
export async function removeContainer(
  ctx: EngineContext,
  store: StateStore,
  name: string,
  id: string,
  options: { timeoutMs?: number; service: string; project: string; keepLinksOn?: readonly string[]; recorded?: false },
): Promise<void> {
  const who = { project: options.project, service: options.service, container: name, id };
  if (options.recorded !== false) {
    const entry = store.read()?.containers[name];
    store.setContainer(name, { id, service: options.service, number: entry?.number ?? 0, phase: 'removing', stoppedByUser: true });
  }
  const spec = readSpec(store, name);
  const state = await ctx.ports.runtime.state(id);
  if (state && (state.status === 'running' || state.status === 'paused')) {
    emit(ctx, { kind: 'container', action: 'stopping', ...who });
    if (state.status === 'paused') await ctx.ports.runtime.resume(id).catch(() => undefined);
    const outcome = await ctx.ports.runtime.stop(id, {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(spec?.config.stopSignal ? { signal: spec.config.stopSignal } : {}),
    });
    emit(ctx, { kind: 'container', action: 'stopped', ...who, ...stopDetail(outcome, spec?.config.stopSignal) });
  }
  emit(ctx, { kind: 'container', action: 'removing', ...who });
  const errors = await teardown(ctx, id, spec?.imageId ?? state?.labels['berth.image'], options.keepLinksOn ? { keepLinksOn: options.keepLinksOn } : {});
  if (errors.length > 0) throw new AggregateBerthError('engine/remove', `container ${name}: removal incomplete`, errors);
  if (options.recorded !== false) forgetContainers(store, [name]);
  emit(ctx, { kind: 'container', action: 'removed', ...who });
}

/** Drops removed containers from the project's state: their files, then one write of the record. */
export function forgetContainers(store: StateStore, names: readonly string[]): void {
  if (names.length === 0) return;
  for (const name of names) {
    rmSync(specFile(store, name), { force: true });
    dropArchive(store, name);
    store.writePorts(name, undefined);
    store.writeStatus(name, undefined);
  }
  store.update((r) => {
    const containers = { ...r.containers };
    for (const name of names) delete containers[name];
    return { ...r, containers };
  });
}

/** Marks containers stopped by the user (no restart), and `removing` with `removing`, in one write of the record. */
export function markStoppedByUser(store: StateStore, names: readonly string[], removing = false): void {
  const record = store.read();
  if (!record || names.every((n) => !record.containers[n] || (record.containers[n].stoppedByUser && (!removing || record.containers[n].phase === 'removing')))) return;
  store.update((r) => {
    const next = { ...r.containers };
    for (const n of names) if (next[n]) next[n] = { ...next[n], stoppedByUser: true, ...(removing ? { phase: 'removing' as const } : {}) };
    return { ...r, containers: next };
  });
}

/**
 * Stops a running container and marks it stopped by the user (no restart). The runtime
 * resumes a paused one and sends the stop signal and grace period of its stored config
 * (compose's stop_signal and stop_grace_period), unless `timeoutMs` overrides the grace.
 */
export async function stopContainer(ctx: EngineContext, store: StateStore, name: string, id: string, options: { timeoutMs?: number; service: string; project: string }): Promise<void> {
  const who = { project: options.project, service: options.service, container: name, id };
  markStoppedByUser(store, [name]);
  emit(ctx, { kind: 'container', action: 'stopping', ...who });
  // pre_stop: a failure is said, the stop goes on (the container must still stop)
  const preStop = readSpec(store, name)?.hooks?.preStop;
  if (preStop && (await ctx.ports.runtime.state(id).catch(() => undefined))?.status === 'running')
    await runHooks(ctx, id, preStop, `container ${name}: pre_stop`).catch((err: unknown) => emit(ctx, { kind: 'warning', message: describe(err) }));
  const outcome = await ctx.ports.runtime.stop(id, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
  await ctx.ports.network.unpublish(id).catch(() => undefined);
  store.writePorts(name, undefined);
  emit(ctx, { kind: 'container', action: 'stopped', ...who, ...stopDetail(outcome, readSpec(store, name)?.config.stopSignal) });
}

/** The `stopped` event's detail when pid 1 could not hear the stop signal and was killed at once. */
export function stopDetail(outcome: StopOutcome, stopSignal: string | undefined): { detail?: string } {
  if (outcome !== 'killed-at-once') return {};
  const name = (stopSignal ?? 'SIGTERM').toUpperCase();
  const signal = /^\d+$/.test(name) || name.startsWith('SIG') ? name : `SIG${name}`;
  return { detail: `pid 1 ignores ${signal}: killed at once; \`init: true\` or a handler gives it a clean stop` };
}

/**
 * Brings an exited (or created) container back, as Docker's restart: the runtime runs it
 * again from the stored spec with the same id and writable layer (fresh namespaces and
 * cgroup, network re-attached at the sync point), then starts it.
 */
export async function restartFromSpec(ctx: EngineContext, store: StateStore, name: string): Promise<void> {
  const spec = readSpec(store, name);
  if (!spec) throw new BerthError('engine/no-spec', `container ${name}: no stored configuration; run \`berth up\` to recreate it`);
  await archiveLogs(ctx, store, name, spec.config.id);
  const errors = await teardownForRestart(ctx, spec.config.id);
  if (errors.length > 0) throw new AggregateBerthError('engine/restart', `container ${name}: cannot clear the previous run`, errors);
  await createFromSpec(ctx, store, spec, { keepLayer: true });
  try {
    await startCreated(ctx, store, spec);
  } catch (err) {
    await ctx.ports.runtime.stop(spec.config.id, { timeoutMs: 0 }).catch(() => undefined);
    throw await keepFailedRestart(ctx, store, spec, err);
  }
  clearStartFailure(store, name);
}

/**
 * A restart that fails keeps the container, as Docker does: its endpoints and port rules go,
 * its runtime container (layer), stored spec and record stay (`ps -a` shows it exited with
 * the error, `start` tries again, `down` removes it). Returns the error to throw.
 */
async function keepFailedRestart(ctx: EngineContext, store: StateStore, spec: StoredSpec, err: unknown): Promise<BerthError> {
  const name = spec.config.name ?? spec.config.id;
  const errors = await teardownForRestart(ctx, spec.config.id);
  store.writePorts(name, undefined);
  const entry = store.read()?.containers[name];
  store.setContainer(name, { ...(entry ?? { id: spec.config.id, service: spec.service, number: spec.number }), phase: 'created', ...(spec.oneoff ? { oneoff: true } : {}) });
  recordStartFailure(store, name, describe(err));
  emit(ctx, { kind: 'container', action: 'exited', project: spec.project, service: spec.service, container: name, id: spec.config.id, exitCode: START_FAILED_EXIT, detail: describe(err) });
  const wrapped = err instanceof BerthError ? err : new BerthError('engine/restart', `container ${name}: restart failed: ${describe(err)}`, { cause: err });
  return errors.length > 0 ? new AggregateBerthError(wrapped.code, wrapped.message, [err, ...errors]) : wrapped;
}

/** The previous run's ports and endpoints go; the runtime container stays (its layer). */
async function teardownForRestart(ctx: EngineContext, id: string): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const f of [() => ctx.ports.network.unpublish(id), () => ctx.ports.network.detach(id)]) {
    try {
      await f();
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}

/**
 * `host-gateway` in extra_hosts is the host as the container reaches it, as Docker's: here
 * the gateway of the container's first network (the host's address on that bridge). With no
 * network to name it, the entry is dropped rather than written as a literal.
 */
export function withHostGateway(hosts: readonly (readonly [string, string])[], gateway: string | undefined): (readonly [string, string])[] {
  return hosts.flatMap(([name, ip]) => (ip !== 'host-gateway' ? [[name, ip] as const] : gateway ? [[name, gateway] as const] : []));
}
