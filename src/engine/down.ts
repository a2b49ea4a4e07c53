/**
 * `down`: everything of the project goes, found through the state dir and labels, so it
 * works with the compose file gone or broken (`-p NAME`). Supervisor first (so nothing
 * restarts), then dependents-first stop, removal, networks, and volumes with -v. Errors
 * are gathered; every step still runs.
 */
import type { DownOptions } from '../api/index.js';
import type { Project } from '../spec/index.js';
import { AggregateBerthError, BerthError, describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { concurrencyOf, emit } from './context.js';
import { projectNameOf } from './project-source.js';
import { lockProject } from './lock.js';
import { observeProject } from './observe.js';
import { stopSupervisor } from './supervisor-client.js';
import { planDown } from './plan.js';
import { executeDag } from './execute-dag.js';
import { forgetContainers, markStoppedByUser, removeContainer, stopContainer } from './container-ops.js';
import { listVolumes, removeVolume } from './volumes.js';
import { projectDir } from './paths.js';
import type { ObservedContainer } from './plan-types.js';
import { imageOf } from './desired.js';
import { trace } from '../util/trace.js';

export async function down(ctx: EngineContext, options: DownOptions): Promise<void> {
  trace('down');
  const { name, project } = await projectNameOf(options.source);
  trace('down: project loaded');
  const dir = projectDir(ctx.paths, name);
  const lock = await lockProject(dir, name, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (pid) => emit(ctx, { kind: 'warning', message: `waiting for another berth process (pid ${pid}) working on project ${name}` }),
  });
  const errors: unknown[] = [];
  let supervisorGone: Promise<void> | undefined;
  let releaseNamespaces: (() => void) | undefined;
  try {
    trace('down: locked');
    // No grace: the supervisor keeps nothing in memory that down needs (state is on disk, its
    // netlink relay ends with its stdin). It is signalled first and its end awaited later:
    // it cannot act meanwhile (it restarts containers only under the lock we hold).
    supervisorGone = stopSupervisor(ctx, name, 0);
    supervisorGone.catch(() => undefined);
    const { snap, targets, leftOver, removedNetworks, plan } = await drawDown(ctx, name, project, options);
    trace('down: planned');
    // one write instead of one per stop and two per removal (each stop's own mark finds it
    // set; the removed are forgotten together at the end)
    markStoppedByUser(
      snap.store,
      targets.map((c) => c.name),
      true,
    );
    // the network namespaces of the containers are torn down after the bridges, not on rtnl
    // beside their deletion (network/hold-namespaces)
    if (removedNetworks.length > 0) releaseNamespaces = await ctx.ports.network.holdNamespaces?.(targets.map((c) => snap.states.get(c.name)?.pid ?? 0).filter((pid) => pid > 0));
    const byName = new Map(targets.map((c) => [c.name, c]));
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : undefined;
    const removed: string[] = [];
    // a bridge's deletion, asked for by its `remove-network` operation (done once the kernel
    // has the request), ended by its `network-removed` operation
    const removals = new Map<string, Promise<void>>();
    const result = await executeDag(
      plan.operations,
      async (op) => {
        switch (op.kind) {
          case 'stop': {
            const c = byName.get(op.target)!;
            await stopContainer(ctx, snap.store, c.name, c.id, { service: c.service, project: name, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
            return;
          }
          case 'keep':
            return;
          case 'remove': {
            const c = byName.get(op.target)!;
            await removeContainer(ctx, snap.store, c.name, c.id, {
              service: c.service,
              project: name,
              keepLinksOn: removedNetworks,
              recorded: false,
              ...(timeoutMs !== undefined ? { timeoutMs } : {}),
            });
            removed.push(c.name);
            return;
          }
          case 'remove-network': {
            emit(ctx, { kind: 'network', action: 'removing', project: name, network: op.target });
            let requested = (): void => undefined;
            const asked = new Promise<void>((resolve) => (requested = resolve));
            const removal = ctx.ports.network.removeNetwork(op.target, { onRequested: requested });
            removal.catch(() => undefined); // reported by network-removed
            removals.set(op.target, removal);
            // a removal that fails before the request still lets the containers go (best effort)
            await Promise.race([
              asked,
              removal.then(
                () => undefined,
                () => undefined,
              ),
            ]);
            return;
          }
          case 'network-removed': {
            await removals.get(op.target);
            const key = Object.values(snap.store.read()?.networks ?? {}).find((n) => n.name === op.target)?.key;
            if (key) snap.store.setResource('networks', key, undefined);
            emit(ctx, { kind: 'network', action: 'removed', project: name, network: op.target });
            return;
          }
          case 'remove-volume': {
            removeVolume(ctx.paths, op.target);
            const key = Object.values(snap.store.read()?.volumes ?? {}).find((v) => v.name === op.target)?.key;
            if (key) snap.store.setResource('volumes', key, undefined);
            emit(ctx, { kind: 'volume', action: 'removed', project: name, volume: op.target });
            return;
          }
          default:
            throw new BerthError('engine/internal', `unexpected operation ${op.kind} in down`);
        }
      },
      { ...(ctx.onOperation ? { onOperation: ctx.onOperation } : {}), ...concurrencyOf(ctx) },
    );
    trace('down: executed');
    errors.push(...result.failed.values());
    if (options.rmi && project) {
      const refs = new Set(
        Object.values(project.services)
          .filter((s) => options.rmi === 'all' || !s.image)
          .map((s) => imageOf(project.name, s)),
      );
      for (const ref of [...refs].sort()) {
        try {
          await ctx.ports.images.remove(ref);
          emit(ctx, { kind: 'image', action: 'removed', image: ref });
        } catch (err) {
          errors.push(err);
        }
      }
    }
    // gone before the state goes: a dying supervisor must not write into it afterwards
    await supervisorGone.catch((err: unknown) => errors.push(err));
    const after = await observeProject(ctx, name);
    if (errors.length === 0 && after.containers.length === 0 && !leftOver) snap.store.removeAll();
    else forgetContainers(snap.store, removed);
  } catch (err) {
    errors.push(err);
  } finally {
    releaseNamespaces?.();
    await supervisorGone?.catch(() => undefined);
    lock.release();
    trace('down: done');
  }
  if (errors.length === 1) throw errors[0] instanceof BerthError ? errors[0] : new BerthError('engine/down', `project ${name}: down incomplete: ${describe(errors[0])}`, { cause: errors[0] });
  if (errors.length > 1) throw new AggregateBerthError('engine/down', `project ${name}: down incomplete`, errors);
}

/** observe -> plan for down: the project's containers, networks and volumes, and the plan. Reads only. */
async function drawDown(ctx: EngineContext, name: string, project: Project | undefined, options: DownOptions) {
  const [snap, nets] = await Promise.all([observeProject(ctx, name), ctx.ports.network.listNetworks()]);
  trace('down: observed');
  const record = snap.record;
  // containers the runtime knows, plus ones a crash left half-created (recorded, not listed)
  const containers: ObservedContainer[] = [...snap.containers];
  for (const [cname, entry] of Object.entries(record?.containers ?? {})) {
    if (!containers.some((c) => c.name === cname)) {
      containers.push({ id: entry.id, name: cname, service: entry.service, number: entry.number, hash: undefined, imageId: undefined, status: 'exited', oneoff: entry.oneoff === true, dependsOn: [] });
    }
  }
  let targets = containers;
  if (project && !options.removeOrphans) {
    const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]);
    const orphans = containers.filter((c) => !c.oneoff && !known.has(c.service));
    for (const o of orphans) emit(ctx, { kind: 'warning', message: `found orphan container ${o.name} for service ${o.service}; run with --remove-orphans to remove it` });
    targets = containers.filter((c) => !orphans.includes(c));
  }
  const networkNames = new Set<string>();
  for (const n of Object.values(record?.networks ?? {})) if (!n.external) networkNames.add(n.name);
  for (const n of nets) if (n.project === name && n.labels['berth.project'] !== undefined) networkNames.add(n.name);
  if (project) for (const n of Object.values(project.networks)) if (!n.external && nets.some((x) => x.name === n.name)) networkNames.add(n.name);
  const volumeNames = new Set<string>();
  for (const v of Object.values(record?.volumes ?? {})) if (!v.external) volumeNames.add(v.name);
  for (const v of listVolumes(ctx.paths)) if (v.project === name) volumeNames.add(v.name);
  const leftOver = targets.length !== containers.length;
  const removedNetworks = leftOver ? [] : [...networkNames];
  const plan = planDown(targets, { networks: removedNetworks, volumeNames: [...volumeNames], ...(options.volumes ? { volumes: true } : {}) });
  return { snap, targets, leftOver, removedNetworks, plan };
}

/** `down --dry-run`: the plan down would execute, as text; nothing changes (no lock, the supervisor left alone). */
export async function planDownText(ctx: EngineContext, options: DownOptions): Promise<string> {
  const { name, project } = await projectNameOf(options.source);
  return (await drawDown(ctx, name, project, options)).plan.toString();
}
