/**
 * Stage "consistency": what compose-go's `checkConsistency` (loader/validate.go) refuses in
 * a loaded project, as a table of checks keyed by the tree path they report. Runs on the
 * active services (after profiles), like compose-go. References to networks, volumes,
 * secrets, configs and services are checked where they are resolved (normalize-project.ts).
 */
import { isRecord } from './path.js';
import type { Resource, Secret, Service } from './types.js';

/** A finding: the tree path to point at and the one-line message. */
export interface Inconsistency {
  readonly path: string;
  readonly message: string;
}

interface ServiceCheck {
  /** The path the check is about (`*` = the service name), for reading the table. */
  readonly at: string;
  readonly check: (name: string, s: Service, all: Readonly<Record<string, Service>>, topModels: ReadonlySet<string>) => Inconsistency | undefined;
}

const HEALTHCHECK_KINDS = new Set(['CMD', 'CMD-SHELL', 'NONE']);

/** The number of containers compose would run (`scale`, then `deploy.replicas`, else 1). */
const scaleOf = (s: Service): number => s.scale ?? s.deploy?.replicas ?? 1;

/**
 * `cpus` and `deploy.resources.limits.cpus` (and the like) must agree. As compose-go, a
 * `limits` (or `reservations`) block without the key counts as 0 there.
 */
function distinct(name: string, key: string, deployKey: string, own: number | undefined, block: Resource | undefined, deployed: 'cpus' | 'memory' | 'pids'): Inconsistency | undefined {
  return own !== undefined && own !== 0 && block !== undefined && own !== (block[deployed] ?? 0)
    ? { path: `services.${name}`, message: `services.${name}: can't set distinct values on '${key}' and '${deployKey}'` }
    : undefined;
}

const SERVICE_CHECKS: readonly ServiceCheck[] = [
  {
    at: 'services.*',
    check: (name, s) =>
      s.image === undefined && s.build === undefined && s.other?.provider === undefined
        ? { path: `services.${name}`, message: `service "${name}" has neither an image nor a build context specified` }
        : undefined,
  },
  {
    at: 'services.*.build.dockerfile_inline',
    check: (name, s) =>
      s.build?.dockerfile !== undefined && s.build.dockerfile_inline !== undefined
        ? { path: `services.${name}.build.dockerfile_inline`, message: `service "${name}" declares mutually exclusive dockerfile and dockerfile_inline` }
        : undefined,
  },
  {
    at: 'services.*.build.additional_contexts',
    check: (name, s, all) => {
      for (const [key, value] of Object.entries(s.build?.additional_contexts ?? {})) {
        if (!value.startsWith('service:')) continue;
        const target = value.slice('service:'.length);
        const path = `services.${name}.build.additional_contexts.${key}`;
        if (!all[target]) return { path, message: `service "${name}" declares unknown service "${target}" as additional contexts ${key}` };
        if (!all[target].build) return { path, message: `service "${name}" declares non-buildable service "${target}" as additional contexts ${key}` };
      }
      return undefined;
    },
  },
  {
    at: 'services.*.build.platforms',
    check: (name, s) =>
      s.build?.platforms && s.build.platforms.length > 0 && s.platform !== undefined && s.platform !== '' && !s.build.platforms.includes(s.platform)
        ? { path: `services.${name}.build.platforms`, message: `service.build.platforms MUST include service.platform ${JSON.stringify(s.platform)}` }
        : undefined,
  },
  {
    at: 'services.*.healthcheck.test',
    check: (name, s) => {
      const first = s.healthcheck?.test?.[0];
      return first !== undefined && !HEALTHCHECK_KINDS.has(first)
        ? { path: `services.${name}.healthcheck.test`, message: 'healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"' }
        : undefined;
    },
  },
  {
    at: 'services.*.models',
    check: (name, s, _all, topModels) => {
      const models = s.other?.models;
      const names = Array.isArray(models) ? models.map(String) : isRecord(models) ? Object.keys(models) : [];
      const missing = names.find((m) => !topModels.has(m));
      return missing !== undefined ? { path: `services.${name}.models`, message: `service "${name}" refers to undefined model ${missing}` } : undefined;
    },
  },
  {
    at: 'services.*.scale',
    check: (name, s) => {
      if (s.scale !== undefined && s.scale < 0) return { path: `services.${name}.scale`, message: `services.${name}.scale: must be greater than or equal to 0` };
      if (s.deploy?.replicas !== undefined && s.deploy.replicas < 0) {
        return { path: `services.${name}.deploy.replicas`, message: `services.${name}.deploy.replicas: must be greater than or equal to 0` };
      }
      return undefined;
    },
  },
  { at: 'services.*.cpus', check: (name, s) => distinct(name, 'cpus', 'deploy.resources.limits.cpus', s.cpus, s.deploy?.resources?.limits, 'cpus') },
  { at: 'services.*.mem_limit', check: (name, s) => distinct(name, 'mem_limit', 'deploy.resources.limits.memory', s.mem_limit, s.deploy?.resources?.limits, 'memory') },
  {
    at: 'services.*.mem_reservation',
    check: (name, s) => distinct(name, 'mem_reservation', 'deploy.resources.reservations.memory', s.mem_reservation, s.deploy?.resources?.reservations, 'memory'),
  },
  { at: 'services.*.pids_limit', check: (name, s) => distinct(name, 'pids_limit', 'deploy.resources.limits.pids', s.pids_limit, s.deploy?.resources?.limits, 'pids') },
  {
    at: 'services.*.container_name',
    check: (name, s) =>
      s.container_name !== undefined && s.container_name !== '' && scaleOf(s) > 1
        ? {
            path: `services.${name}.container_name`,
            message: `services.${name}: can't set container_name and ${s.scale !== undefined ? 'scale' : 'deploy.replicas'} as container name must be unique`,
          }
        : undefined,
  },
  {
    at: 'services.*.develop.watch',
    check: (name, s) => {
      const i = (s.develop?.watch ?? []).findIndex((w) => w.target === undefined && w.action !== 'rebuild' && w.action !== 'restart');
      return i >= 0 ? { path: `services.${name}.develop.watch[${i}]`, message: `services.${name}.develop.watch: target is required for non-rebuild actions` } : undefined;
    },
  },
  {
    at: 'services.*.volumes',
    check: (name, s) => {
      const mounts = new Map<string, string>();
      const targets = [
        ...(s.tmpfs ?? []).map((t, i) => [t.split(':')[0]!, `services.${name}.tmpfs[${i}]`] as const),
        ...(s.volumes ?? []).map((v, i) => [v.target, `services.${name}.volumes[${i}]`] as const),
      ];
      for (const [target, loc] of targets) {
        const first = mounts.get(target);
        if (first !== undefined) return { path: loc, message: `${loc}: target ${target} already mounted as ${first}` };
        mounts.set(target, loc);
      }
      return undefined;
    },
  },
];

/** The first inconsistency of the active services (sorted by name), then of the secrets. */
export function findInconsistency(services: Readonly<Record<string, Service>>, secrets: Readonly<Record<string, Secret>>, topModels: ReadonlySet<string>): Inconsistency | undefined {
  for (const name of Object.keys(services).sort()) {
    for (const { check } of SERVICE_CHECKS) {
      const found = check(name, services[name]!, services, topModels);
      if (found) return found;
    }
  }
  for (const name of Object.keys(secrets).sort()) {
    const s = secrets[name]!;
    if (!s.external && s.file === undefined && s.environment === undefined) {
      return { path: `secrets.${name}`, message: `secret "${name}" must declare either \`file\` or \`environment\`` };
    }
  }
  return undefined;
}
