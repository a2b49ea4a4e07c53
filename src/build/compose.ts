// Compose `build:` -> a BuildRequest, and the builder's progress as engine events. Used by
// the engine's build port (`up --build`, missing images) and by `berth build`.
// Image name: `image:` when given, else `<project>-<service>` (compose v2).
import type { ImageEvent, WarningEvent } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { BuildConfig, Project, Service } from '../spec/index.js';
import { serviceImageRef } from '../spec/index.js';
import { buildImage } from './build.js';
import type { BuildDeps } from './deps.js';
import type { BuildEvent, BuildRequest, BuildResult } from './types.js';

export type BuildProgressEvent = Omit<ImageEvent, 'time'> | Omit<WarningEvent, 'time'>;

export interface ServiceBuildOptions {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  /** `--build-arg K=V` (over the compose file's `args`). */
  readonly buildArgs?: Readonly<Record<string, string | undefined>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--allow ENTITLEMENT` (`network.host`), besides the compose file's `build.entitlements`. */
  readonly allow?: readonly string[];
  readonly signal?: AbortSignal;
  onEvent?(event: BuildProgressEvent): void;
}

/** Keys of `build:` berth's builder does not use (warned about once per process). */
const UNSUPPORTED: readonly (keyof BuildConfig)[] = ['cache_from', 'cache_to', 'platforms', 'shm_size', 'extra_hosts', 'secrets', 'additional_contexts', 'ssh', 'other'];
const warned = new Set<string>();

export function serviceImageName(project: Project, name: string): string {
  return serviceImageRef(project.name, name, project.services[name]?.image);
}

export function serviceBuildRequest(project: Project, name: string, options: ServiceBuildOptions = {}): { request: BuildRequest; warnings: string[] } {
  const svc: Service | undefined = project.services[name];
  const b = svc?.build;
  if (!svc || !b) throw new BerthError('build/no-build', `service ${name} has no build section`, { hint: 'add `build:` to the service, or set `image:` to an image to pull' });
  if (/^(https?|git|ssh):\/\/|^git@|\.git(#.*)?$/.test(b.context)) {
    throw new BerthError('build/unsupported', `service ${name}: a remote build context (${b.context}) is not supported`, { hint: 'clone or download it and point build.context at the directory' });
  }
  const warnings: string[] = [];
  for (const k of UNSUPPORTED) {
    if (b[k] === undefined || warned.has(k)) continue;
    if (k === 'other' && Object.keys(b.other ?? {}).every((x) => x === 'entitlements')) continue;
    warned.add(k);
    warnings.push(`build.${k} is not supported by berth's builder: ignored (service ${name})`);
  }
  const network = b.network === 'host' || b.network === 'none' || b.network === 'default' ? b.network : undefined;
  if (b.network !== undefined && network === undefined && !warned.has('network')) {
    warned.add('network');
    warnings.push(`build.network "${b.network}" is not supported: RUN uses the build network (service ${name})`);
  }
  const entitlements = b.other?.entitlements;
  const allow = [...(Array.isArray(entitlements) ? entitlements.map(String) : []), ...(options.allow ?? [])];
  const ref = serviceImageName(project, name);
  const request: BuildRequest = {
    context: b.context,
    ...(b.dockerfile_inline !== undefined ? { dockerfileInline: b.dockerfile_inline } : { dockerfile: b.dockerfile ?? 'Dockerfile' }),
    tags: [ref, ...(b.tags ?? []).filter((t) => t !== ref)],
    ...(b.target ? { target: b.target } : {}),
    buildArgs: { ...(b.args ?? {}), ...(options.buildArgs ?? {}) },
    ...(options.env ? { env: options.env } : {}),
    ...(b.labels ? { labels: b.labels } : {}),
    ...(network ? { network } : {}),
    ...(allow.length ? { allow: [...new Set(allow)].sort() } : {}),
    noCache: options.noCache === true || b.no_cache === true,
    pull: options.pull === true || b.pull === true,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return { request, warnings };
}

/** One builder event as an engine event for the image row (`Image app  Building [2/7] RUN ...`). */
export function engineEventOf(image: string, services: readonly string[], e: BuildEvent): BuildProgressEvent | undefined {
  switch (e.type) {
    case 'pull':
      return { kind: 'image', action: 'building', image, services, detail: `pulling ${e.image}` };
    case 'step':
      return { kind: 'image', action: 'building', image, services, step: e.step, steps: e.total, detail: `[${e.step}/${e.total}] ${e.cached ? 'CACHED ' : ''}${e.text.split('\n')[0]!.slice(0, 200)}` };
    case 'output':
      return { kind: 'image', action: 'building', image, services, detail: `#${e.step} ${e.text}` };
    case 'warning':
      return { kind: 'warning', message: e.message };
    case 'done':
      return { kind: 'image', action: 'built', image, services, detail: e.id.replace(/^sha256:/, '').slice(0, 12) };
  }
}

/** Builds one service's image (tagged `image:` or `<project>-<service>`, plus `build.tags`). */
export async function buildService(deps: BuildDeps, project: Project, name: string, options: ServiceBuildOptions = {}): Promise<BuildResult> {
  const { request, warnings } = serviceBuildRequest(project, name, options);
  for (const message of warnings) options.onEvent?.({ kind: 'warning', message, service: name });
  const image = request.tags[0]!;
  return buildImage(deps, {
    ...request,
    onEvent: (e) => {
      const ev = engineEventOf(image, [name], e);
      if (ev) options.onEvent?.(ev);
    },
  });
}
