/**
 * The per-project supervisor: keeps restart policies and healthchecks going after the CLI
 * exits, and serves the project networks' DNS. One detached process per project
 * (`supervisor-main.ts`), started by up/start, ended by down. Everything it knows comes
 * from the state dir, so it survives the compose file going away, and a SIGKILL of it loses
 * nothing: the next berth command starts a new one that adopts the running containers.
 */
import type { DnsResponder } from '../network/index.js';
import { describe } from '../errors.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';
import { storeFor } from './observe.js';
import type { StateStore, SupervisedService, ContainerStatusRecord } from './state-store.js';
import { countedRestarts, deployRestartPolicy, initialBackoff, parseRestartPolicy, restartDelay, shouldRestart, type BackoffState, type RestartPolicy } from './backoff.js';
import { readRunStatus, writeRunStatus } from './run-status.js';
import { afterProbe, firstProbeClock, initialHealth, nextProbe, probeArgv, type HealthConfig, type HealthState } from './health.js';
import { lockProject } from './lock.js';
import { readSpec, restartFromSpec } from './container-ops.js';
import { SidecarKeeper } from './sidecar.js';

/** The scan's interval while a project network has no DNS responder yet. */
const DNS_SCAN_MS = 20;
/** How long a network not served yet keeps the scan at DNS_SCAN_MS (then the usual interval). */
const DNS_PENDING_MS = 10_000;

export interface SupervisorOptions {
  readonly scanMs?: number;
  /** Exit when the project has no containers left (after this grace period). */
  readonly idleExitMs?: number;
  readonly log?: (line: string) => void;
  /** Keep the recorded sidecar command running (`up -d --watch`; sidecar.ts): the real supervisor only. */
  readonly sidecar?: boolean;
}

export async function runSupervisor(ctx: EngineContext, project: string, signal: AbortSignal, options: SupervisorOptions = {}): Promise<void> {
  const store = storeFor(ctx, project);
  const log = options.log ?? (() => undefined);
  const watched = new Set<string>();
  const dns = new Map<string, DnsResponder>();
  const dnsFailed = new Set<string>();
  const netSeen = new Map<string, number>();
  const backoffs = new Map<string, BackoffState>();
  let idleSince: number | undefined;
  const tasks = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    tasks.add(p);
    void p.finally(() => tasks.delete(p));
  };

  const sidecar = options.sidecar ? new SidecarKeeper(store.dir, log, ctx.now) : undefined;
  try {
    while (!signal.aborted) {
      const record = store.read();
      if (!record) break; // project removed (down)
      sidecar?.sync();
      const entries = Object.entries(record?.containers ?? {});
      if (entries.length === 0) {
        idleSince ??= ctx.now();
        if (ctx.now() - idleSince > (options.idleExitMs ?? 5_000)) break;
      } else idleSince = undefined;
      // Served as soon as the bridge has its gateway address, beside the firewall's set-up: a
      // network still being made whose responder cannot bind yet is tried again at the next scan
      for (const net of Object.values(record?.networks ?? {})) {
        if (net.phase === 'removing' || dns.has(net.name)) continue;
        try {
          dns.set(net.name, await ctx.ports.network.startDns(net.name));
          log(`dns: serving ${net.name}`);
        } catch (err) {
          if (net.phase !== 'created') continue;
          dnsFailed.add(net.name);
          log(`dns: ${net.name}: ${describe(err)}`);
        }
      }
      for (const [name, entry] of entries) {
        if (watched.has(name) || entry.phase !== 'created' || entry.oneoff) continue;
        if (readRunStatus(store, name)?.lastError !== undefined) continue; // a failed restart is not retried
        const state = await ctx.ports.runtime.state(entry.id).catch(() => undefined);
        // running ones are watched; exited ones whose exit was not handled yet (it exited
        // between two scans, or while no supervisor ran) get their restart policy applied
        const unhandledExit = state?.status === 'exited' && state.startedAt !== undefined && !entry.stoppedByUser && store.readStatus(name)?.handledStart !== state.startedAt;
        if (state?.status !== 'running' && !unhandledExit) continue;
        watched.add(name);
        track(
          watchContainer(ctx, store, name, entry.id, entry.service, record!.services[entry.service], backoffs, signal, log)
            .catch((err: unknown) => log(`${name}: ${describe(err)}`))
            .finally(() => watched.delete(name)),
        );
      }
      // `up` starts a container once its networks' DNS answers (dns-ready.ts): a network being
      // made, or made and not served yet, is looked at again soon (for its first seconds)
      const scanMs = options.scanMs ?? 200;
      const dnsPending = Object.values(record.networks).some((n) => {
        if (n.external || dns.has(n.name) || dnsFailed.has(n.name)) return false;
        const seen = netSeen.get(n.name) ?? netSeen.set(n.name, ctx.now()).get(n.name)!;
        return ctx.now() - seen < DNS_PENDING_MS;
      });
      await ctx.sleep(dnsPending ? Math.min(scanMs, DNS_SCAN_MS) : scanMs, signal);
    }
  } finally {
    sidecar?.close();
    for (const [name, r] of dns) await r.close().catch((err: unknown) => log(`dns: ${name}: close: ${describe(err)}`));
    await Promise.race([Promise.allSettled(tasks), new Promise((r) => setTimeout(r, 1000))]);
  }
}

/** `deploy.restart_policy` from the stored spec wins over `restart:` (compose's rule). */
function policyFor(store: StateStore, name: string, settings: SupervisedService | undefined): RestartPolicy {
  let rp;
  try {
    rp = readSpec(store, name)?.restartPolicy;
  } catch {
    rp = undefined;
  }
  return rp ? deployRestartPolicy(rp) : parseRestartPolicy(settings?.restart, settings?.maxRetries);
}

/** One container's life under supervision: health probes while it runs, restart on exit per policy. */
async function watchContainer(
  ctx: EngineContext,
  store: StateStore,
  name: string,
  id: string,
  service: string,
  settings: SupervisedService | undefined,
  backoffs: Map<string, BackoffState>,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const policy = policyFor(store, name, settings);
  const who = { project: store.project, service, container: name, id };
  for (;;) {
    const state = await ctx.ports.runtime.state(id);
    if (!state || (state.status !== 'running' && state.status !== 'exited') || !state.startedAt) return;
    if (state.status === 'exited' && store.readStatus(name)?.handledStart === state.startedAt) return;
    const startedAt = Date.parse(state.startedAt);
    let exit;
    if (state.status === 'running') {
      const runSignal = new AbortController();
      const stopProbes = (): void => runSignal.abort();
      signal.addEventListener('abort', stopProbes, { once: true });
      const probes = settings?.healthcheck ? healthLoop(ctx, store, name, id, service, settings.healthcheck, startedAt, runSignal.signal) : Promise.resolve();
      try {
        exit = await ctx.ports.runtime.wait(id, signal);
      } finally {
        runSignal.abort();
        signal.removeEventListener('abort', stopProbes);
        await probes.catch(() => undefined);
      }
    } else exit = { exitCode: state.exitCode ?? -1 };
    if (signal.aborted) return;
    const entry = store.read()?.containers[name];
    if (!entry || entry.phase !== 'created' || entry.id !== id) return;
    store.writeStatus(name, { ...(store.readStatus(name) ?? { restarts: 0 }), handledStart: state.startedAt });
    emit(ctx, { kind: 'container', action: 'exited', ...who, exitCode: exit.exitCode, ...('oomKilled' in exit && exit.oomKilled ? { oomKilled: true } : {}) });
    const prev = readRunStatus(store, name) ?? { restarts: 0 };
    const bo = backoffs.get(name) ?? initialBackoff;
    const now = ctx.now();
    const counted = countedRestarts(policy, prev.restarts, prev.restartTimes ?? [], now);
    if (!shouldRestart(policy, exit.exitCode, counted, entry.stoppedByUser === true)) {
      const gaveUp = policy.name !== 'no' && !entry.stoppedByUser && (policy.name !== 'on-failure' || exit.exitCode !== 0);
      store.writeStatus(name, { ...prev, lastExit: exit.exitCode, ...(gaveUp ? { gaveUp: true } : {}) } as ContainerStatusRecord);
      // the decision, said: a test (or a user) waits for it instead of waiting for time
      const why = entry.stoppedByUser ? 'stopped by the user' : `restart policy ${policy.name}${gaveUp ? ': retry limit reached' : ''}`;
      log(`${name}: exited (${exit.exitCode}), not restarted: ${why}`);
      return;
    }
    const ranFor = now - startedAt;
    const next = restartDelay(policy, bo, ranFor);
    backoffs.set(name, next);
    // restart times are kept for the window (bounded: only as many as max_attempts needs)
    const restartTimes = policy.windowMs !== undefined ? [...(prev.restartTimes ?? []).filter((t) => now - t < policy.windowMs!), now].slice(-((policy.maxRetries ?? 1) + 1)) : undefined;
    writeRunStatus(store, name, { ...prev, restarts: prev.restarts + 1, lastExit: exit.exitCode, restartingUntil: now + next.delayMs, ...(restartTimes ? { restartTimes } : {}) });
    emit(ctx, { kind: 'container', action: 'restarting', ...who, detail: `in ${next.delayMs} ms`, attempt: prev.restarts + 1, restartAt: now + next.delayMs });
    await ctx.sleep(next.delayMs, signal);
    if (signal.aborted) return;
    // restart under the project lock; a busy lock (up/down running) is retried, never waited on
    for (;;) {
      if (signal.aborted) return;
      const lock = await lockProject(store.dir, store.project, { timeoutMs: 0 }).catch(() => undefined);
      if (!lock) {
        await ctx.sleep(200, signal);
        continue;
      }
      try {
        const again = store.read()?.containers[name];
        if (!again || again.phase !== 'created' || again.stoppedByUser || again.id !== id) {
          const { restartingUntil: _, ...status } = store.readStatus(name) ?? { restarts: 0 };
          store.writeStatus(name, status);
          log(`${name}: not restarted: ${again?.stoppedByUser ? 'stopped by the user' : 'removed or replaced'} while it waited`);
          return;
        }
        await restartFromSpec(ctx, store, name);
        // depends_on.restart: true -> the dependents are restarted with it
        for (const dependent of settings?.restartDependents ?? []) {
          for (const [dname, d] of Object.entries(store.read()?.containers ?? {})) {
            if (d.service !== dependent || d.phase !== 'created' || d.stoppedByUser || d.oneoff) continue;
            emit(ctx, { kind: 'container', action: 'restarting', project: store.project, service: dependent, container: dname, id: d.id, detail: `dependency ${service} restarted` });
            await restartFromSpec(ctx, store, dname).catch((err: unknown) => log(`${dname}: restart after ${service} failed: ${describe(err)}`));
          }
        }
      } catch (err) {
        log(`${name}: restart failed: ${describe(err)}`);
        emit(ctx, { kind: 'error', message: `container ${name}: restart failed: ${describe(err)}`, service, container: name });
        return;
      } finally {
        // the netlink relay a restart opens (network attach) is not kept for the supervisor's
        // life (+0.7 MB and a process); restarts take the project lock, so none is using it
        await ctx.ports.network.close?.().catch(() => undefined);
        lock.release();
      }
      break;
    }
    const cur = store.readStatus(name) ?? { restarts: 0 };
    const { restartingUntil: _drop, ...rest } = cur;
    store.writeStatus(name, rest);
  }
}

async function healthLoop(ctx: EngineContext, store: StateStore, name: string, id: string, service: string, config: HealthConfig, startedAt: number, signal: AbortSignal): Promise<void> {
  let state: HealthState = initialHealth(startedAt);
  const who = { project: store.project, service, container: name, id };
  const save = (): void => store.writeStatus(name, { ...(store.readStatus(name) ?? { restarts: 0 }), health: state });
  save();
  let clock = firstProbeClock(state, config, ctx.now());
  while (!signal.aborted) {
    const next = nextProbe(state, config, clock);
    await ctx.sleep(Math.max(0, next.at - ctx.now()), signal);
    if (signal.aborted) return;
    const start = ctx.now();
    let exitCode: number;
    let output: string;
    try {
      // an eager probe never holds up the scheduled one: it ends when that one is due
      const timeoutMs = next.eager ? Math.max(1, Math.min(config.timeoutMs, clock.dueAt - start)) : config.timeoutMs;
      const r = await ctx.ports.runtime.exec(id, { args: probeArgv(config), maxOutputBytes: 4096, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      exitCode = r.exitCode;
      output = (r.stdout + r.stderr).slice(0, 4096);
    } catch (err) {
      if (signal.aborted) return;
      exitCode = -1;
      output = `health check failed: ${describe(err)}`;
    }
    const before = state;
    ({ state, clock } = afterProbe(state, config, clock, next.eager, { start, end: ctx.now(), exitCode, output }));
    if (state === before) continue; // an eager probe's failure: nothing to record
    save();
    if (state.status !== before.status)
      emit(ctx, { kind: 'container', action: state.status === 'healthy' ? 'healthy' : 'unhealthy', ...who, ...(state.status === 'unhealthy' ? { detail: output.trim().slice(0, 200) } : {}) });
  }
}
