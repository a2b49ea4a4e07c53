/**
 * Readiness (berth's own, documented in the README): a service counts as started, for its
 * dependents' `depends_on` (condition `service_started`) and for `up --wait`, once the
 * process of each of its containers listens on every TCP port the service declares
 * (`expose`, `ports`, the image's `ExposedPorts`), seen from the container's network
 * namespace. The wait is bounded: past the bound the service counts as started with a
 * warning. `BERTH_READINESS=off` turns it off; `BERTH_READINESS=DURATION` sets the bound
 * (default 10s). A container that exits meanwhile ends the wait (its dependents then go on
 * as compose's `service_started` does).
 */
import type { LocalImage } from '../image/index.js';
import type { Service } from '../spec/index.js';
import { parseDuration } from '../spec/index.js';
import type { EngineContext } from './context.js';
import { emit } from './context.js';

export const READINESS_DEFAULT_MS = 10_000;
const POLL_MS = 25;

/** The bound of the wait in ms, or undefined when readiness is off. A bad value warns and keeps the default. */
export function readinessBound(ctx: EngineContext): number | undefined {
  const raw = ctx.env.BERTH_READINESS?.trim();
  if (raw === undefined || raw === '' || raw === 'on') return READINESS_DEFAULT_MS;
  if (['off', '0', 'false', 'no'].includes(raw.toLowerCase())) return undefined;
  const ns = parseDuration(raw);
  if (ns === undefined || ns <= 0) {
    emit(ctx, { kind: 'warning', message: `BERTH_READINESS=${raw}: not "off" or a duration such as 10s; using 10s` });
    return READINESS_DEFAULT_MS;
  }
  return Math.round(ns / 1e6);
}

/** Range text such as `8000-8002` or `80` (a `/proto` suffix stripped) -> the ports. */
function portRange(text: string): number[] {
  const [lo, hi] = text.split('-').map((x) => Number(x));
  if (lo === undefined || !Number.isInteger(lo) || lo < 1 || lo > 65535) return [];
  const end = hi !== undefined && Number.isInteger(hi) && hi >= lo && hi - lo < 1024 ? Math.min(hi, 65535) : lo;
  return Array.from({ length: end - lo + 1 }, (_, i) => lo + i);
}

/** The TCP ports a service declares: `expose`, `ports` (container side), the image's `ExposedPorts`; sorted. */
export function declaredTcpPorts(service: Pick<Service, 'expose' | 'ports'>, image: LocalImage | undefined): number[] {
  const out = new Set<number>();
  const add = (spec: string): void => {
    const [port, proto = 'tcp'] = spec.split('/');
    if (proto.toLowerCase() === 'tcp' && port !== undefined) for (const p of portRange(port)) out.add(p);
  };
  for (const e of service.expose ?? []) add(e);
  for (const p of service.ports ?? []) if (p.protocol.toLowerCase() === 'tcp') out.add(p.target);
  for (const e of Object.keys(image?.config.ExposedPorts ?? {})) add(e);
  return [...out].sort((a, b) => a - b);
}

export interface ReadinessTarget {
  readonly project: string;
  readonly service: string;
  readonly containers: readonly { readonly name: string; readonly id: string }[];
  readonly ports: readonly number[];
}

/**
 * Waits until every container of the target listens on all its ports, it exits, or
 * `boundMs` passes (then a warning names what is missing). Never throws for a slow or silent
 * service: readiness only ever delays.
 */
export async function waitListening(ctx: EngineContext, target: ReadinessTarget, boundMs: number, signal?: AbortSignal): Promise<void> {
  const listening = ctx.ports.runtime.listening?.bind(ctx.ports.runtime);
  if (!listening || target.ports.length === 0) return;
  const deadline = ctx.now() + boundMs;
  for (const c of target.containers) {
    for (;;) {
      if (signal?.aborted) return;
      const have = await listening(c.id).catch(() => undefined);
      if (have === undefined) break; // not running (exited, or gone): nothing to wait for
      const missing = target.ports.filter((p) => !have.has(p));
      if (missing.length === 0) break;
      if (ctx.now() >= deadline) {
        emit(ctx, {
          kind: 'warning',
          service: target.service,
          message: `container ${c.name} does not listen on ${missing.map((p) => `${p}/tcp`).join(', ')} after ${boundMs / 1000}s; counted as started (BERTH_READINESS sets the bound, off turns the wait off)`,
        });
        return;
      }
      await ctx.sleep(POLL_MS, signal); // the clock of ctx.now(), as the deadline
    }
  }
}

/**
 * The services whose start waits for their ports, with those ports: each one another picked
 * service depends on with `service_started`, and with `up --wait` every picked one. Services
 * that declare no TCP port are left out.
 */
export function readinessPorts(
  services: Readonly<Record<string, Pick<Service, 'expose' | 'ports' | 'depends_on'>>>,
  names: readonly string[],
  images: ReadonlyMap<string, LocalImage>,
  waitAll: boolean,
): Map<string, number[]> {
  const picked = new Set(names);
  const wanted = new Set(waitAll ? names : []);
  for (const n of names) {
    for (const [dep, d] of Object.entries(services[n]?.depends_on ?? {})) if (d.condition === 'service_started' && picked.has(dep) && dep !== n) wanted.add(dep);
  }
  const out = new Map<string, number[]>();
  for (const s of [...wanted].sort()) {
    const svc = services[s];
    const ports = svc ? declaredTcpPorts(svc, images.get(s)) : [];
    if (ports.length > 0) out.set(s, ports);
  }
  return out;
}
