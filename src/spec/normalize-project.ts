/**
 * Stage "normalize" for the project: services (via normalize-service.ts), implicit
 * dependencies, profiles, the default network, resource names, reference checks,
 * dependency checks and cycles, unused resources dropped, then a deep freeze.
 */
import { specError, type LoadContext } from './context.js';
import { findCycle } from '../util/find-cycle.js';
import { findInconsistency } from './consistency.js';
import { normalizeService, toBool, toStringMap, type Fail } from './normalize-service.js';
import { isRecord } from './path.js';
import type { Dependency, Network, Project, Secret, Service, Volume } from './types.js';

type Raw = Record<string, unknown>;

export interface ProjectInput {
  readonly name: string;
  readonly workingDir: string;
  readonly composeFiles: readonly string[];
  readonly profiles: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
}

export function normalizeProject(ctx: LoadContext, model: Raw, input: ProjectInput): Project {
  const fail: Fail = (path, message, code = 'spec/invalid') => {
    throw specError(ctx, code, message, path);
  };
  const rawServices = isRecord(model.services) ? model.services : {};
  const all = new Map<string, Service>();
  for (const name of Object.keys(rawServices).sort()) {
    const raw = rawServices[name];
    let svc = normalizeService(name, isRecord(raw) ? raw : {}, input.environment, fail);
    if (svc.network_mode !== undefined && svc.networks !== undefined) {
      fail(`services.${name}`, `service "${name}" declares mutually exclusive \`network_mode\` and \`networks\``);
    }
    if (svc.network_mode === undefined && svc.networks === undefined) svc = { ...svc, networks: { default: null } };
    all.set(name, withImplicitDependencies(svc));
  }

  // profiles
  const enabled = new Set(input.profiles);
  const isActive = (s: Service): boolean => !s.profiles || s.profiles.length === 0 || enabled.has('*') || s.profiles.some((p) => enabled.has(p));
  const services: Record<string, Service> = {};
  const disabledServices: Record<string, Service> = {};
  for (const [name, s] of all) (isActive(s) ? services : disabledServices)[name] = s;

  // dependencies must exist and be enabled; optional ones are dropped with a warning
  for (const [name, s] of Object.entries(services)) {
    if (!s.depends_on) continue;
    const kept: Record<string, Dependency> = {};
    for (const [dep, d] of Object.entries(s.depends_on)) {
      const path = `services.${name}.depends_on.${dep}`;
      if (services[dep]) {
        kept[dep] = d;
        continue;
      }
      if (!d.required) {
        ctx.warn({ code: 'spec/optional-dependency', message: `service "${name}": optional dependency "${dep}" is ${disabledServices[dep] ? 'disabled' : 'not defined'}, ignored` });
        continue;
      }
      if (disabledServices[dep]) {
        const profiles = disabledServices[dep]!.profiles ?? [];
        throw specError(ctx, 'spec/dependency-disabled', `service "${name}" depends on service "${dep}" which is disabled by profiles`, path, {
          hint: `enable it with ${profiles.map((p) => `--profile ${p}`).join(' or ')}`,
        });
      }
      fail(path, `service "${name}" depends on undefined service "${dep}"`, 'spec/undefined-service');
    }
    services[name] = { ...s, depends_on: kept };
  }
  const cycle = findCycle(new Map(Object.entries(services).map(([n, s]) => [n, Object.keys(s.depends_on ?? {})])));
  if (cycle) {
    throw specError(ctx, 'spec/cycle', `dependency cycle detected: ${cycle.join(' -> ')}`, `services.${cycle[0]}.depends_on`);
  }

  // networks, volumes, secrets, configs
  const networks = resources(model.networks, (key, raw) => normalizeNetwork(key, raw, input.name));
  const volumes = resources(model.volumes, (key, raw) => normalizeVolume(key, raw, input.name));
  const secrets = resources(model.secrets, (key, raw) => normalizeSecret(key, raw, input.name));
  const configs = resources(model.configs, (key, raw) => normalizeSecret(key, raw, input.name));
  const used = { networks: new Set<string>(), volumes: new Set<string>(), secrets: new Set<string>(), configs: new Set<string>() };
  for (const [name, s] of Object.entries(services)) {
    const P = `services.${name}`;
    for (const n of Object.keys(s.networks ?? {})) {
      if (!networks[n]) {
        if (n === 'default') networks.default = { name: `${input.name}_default` };
        else fail(`${P}.networks.${n}`, `service "${name}" refers to undefined network ${n}`, 'spec/undefined-network');
      }
      used.networks.add(n);
    }
    (s.volumes ?? []).forEach((v, i) => {
      if (v.type !== 'volume' || v.source === undefined) return;
      if (!volumes[v.source]) fail(`${P}.volumes[${i}]`, `service "${name}" refers to undefined volume ${v.source}`, 'spec/undefined-volume');
      used.volumes.add(v.source);
    });
    for (const kind of ['secrets', 'configs'] as const) {
      const defined = kind === 'secrets' ? secrets : configs;
      (s[kind] ?? []).forEach((ref, i) => {
        if (!defined[ref.source]) fail(`${P}.${kind}[${i}]`, `service "${name}" refers to undefined ${kind.slice(0, -1)} ${ref.source}`, 'spec/undefined-reference');
        used[kind].add(ref.source);
      });
    }
    (s.build?.secrets ?? []).forEach((ref, i) => {
      if (!secrets[ref.source]) fail(`${P}.build.secrets[${i}]`, `service "${name}" refers to undefined build secret ${ref.source}`, 'spec/undefined-reference');
      used.secrets.add(ref.source);
    });
  }
  const topModels = new Set(isRecord(model.models) ? Object.keys(model.models) : []);
  const inconsistency = findInconsistency(services, secrets, topModels);
  if (inconsistency) fail(inconsistency.path, inconsistency.message);
  const keep = <T>(all: Record<string, T>, names: Set<string>): Record<string, T> =>
    Object.fromEntries(
      Object.keys(all)
        .sort()
        .filter((k) => names.has(k))
        .map((k) => [k, all[k]!]),
    );

  const extensions = Object.fromEntries(Object.entries(model).filter(([k]) => k.startsWith('x-')));
  const project: Project = {
    name: input.name,
    workingDir: input.workingDir,
    composeFiles: input.composeFiles,
    profiles: [...input.profiles].sort(),
    services,
    disabledServices,
    networks: keep(networks, used.networks),
    volumes: keep(volumes, used.volumes),
    secrets: keep(secrets, used.secrets),
    configs: keep(configs, used.configs),
    environment: input.environment,
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
  return deepFreeze(project);
}

function withImplicitDependencies(s: Service): Service {
  const refs: string[] = [];
  for (const l of s.links ?? []) refs.push(l.split(':')[0]!);
  for (const v of s.volumes_from ?? []) {
    const [first] = v.split(':');
    if (first !== 'container') refs.push(first!);
  }
  for (const mode of [s.network_mode, s.ipc, s.pid]) if (mode?.startsWith('service:')) refs.push(mode.slice('service:'.length));
  if (refs.length === 0) return s;
  const deps: Record<string, Dependency> = { ...(s.depends_on ?? {}) };
  for (const r of refs) deps[r] ??= { condition: 'service_started', restart: false, required: true };
  return { ...s, depends_on: deps };
}

function resources<T>(group: unknown, fn: (key: string, raw: Raw) => T): Record<string, T> {
  if (!isRecord(group)) return {};
  const out: Record<string, T> = {};
  for (const key of Object.keys(group).sort()) {
    if (key.startsWith('x-')) continue;
    const raw = group[key];
    out[key] = fn(key, isRecord(raw) ? raw : {});
  }
  return out;
}

function externalOf(raw: Raw): { external?: boolean; legacyName?: string } {
  const e = raw.external;
  if (isRecord(e)) return { external: true, ...(typeof e.name === 'string' ? { legacyName: e.name } : {}) };
  return e !== undefined && toBool(e) ? { external: true } : {};
}

function extensionsOf(raw: Raw): Raw | undefined {
  const ext = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith('x-')));
  return Object.keys(ext).length > 0 ? ext : undefined;
}

function nameOf(key: string, raw: Raw, project: string, external: { external?: boolean; legacyName?: string }): string {
  if (typeof raw.name === 'string') return raw.name;
  if (external.legacyName) return external.legacyName;
  return external.external ? key : `${project}_${key}`;
}

function normalizeNetwork(key: string, raw: Raw, project: string): Network {
  const ext = externalOf(raw);
  const out: Raw = { name: nameOf(key, raw, project, ext) };
  if (typeof raw.driver === 'string') out.driver = raw.driver;
  if (raw.driver_opts !== undefined) out.driver_opts = toStringMap(raw.driver_opts);
  if (isRecord(raw.ipam)) {
    const ipam: Raw = {};
    if (typeof raw.ipam.driver === 'string') ipam.driver = raw.ipam.driver;
    if (Array.isArray(raw.ipam.config)) {
      ipam.config = raw.ipam.config.map((c: Raw) => {
        const pool: Raw = {};
        for (const k of ['subnet', 'gateway', 'ip_range'] as const) if (typeof c[k] === 'string') pool[k] = c[k];
        if (isRecord(c.aux_addresses)) pool.aux_addresses = toStringMap(c.aux_addresses);
        return pool;
      });
    }
    if (isRecord(raw.ipam.options)) ipam.options = toStringMap(raw.ipam.options);
    out.ipam = ipam;
  }
  if (ext.external) out.external = true;
  for (const k of ['internal', 'attachable', 'enable_ipv4', 'enable_ipv6'] as const) if (raw[k] !== undefined) out[k] = toBool(raw[k]);
  if (raw.labels !== undefined) out.labels = toStringMap(raw.labels);
  const x = extensionsOf(raw);
  if (x) out.extensions = x;
  return out as unknown as Network;
}

function normalizeVolume(key: string, raw: Raw, project: string): Volume {
  const ext = externalOf(raw);
  const out: Raw = { name: nameOf(key, raw, project, ext) };
  if (typeof raw.driver === 'string') out.driver = raw.driver;
  if (raw.driver_opts !== undefined) out.driver_opts = toStringMap(raw.driver_opts);
  if (ext.external) out.external = true;
  if (raw.labels !== undefined) out.labels = toStringMap(raw.labels);
  const x = extensionsOf(raw);
  if (x) out.extensions = x;
  return out as unknown as Volume;
}

function normalizeSecret(key: string, raw: Raw, project: string): Secret {
  const ext = externalOf(raw);
  const out: Raw = { name: nameOf(key, raw, project, ext) };
  for (const k of ['file', 'environment', 'content'] as const) if (typeof raw[k] === 'string') out[k] = raw[k];
  if (ext.external) out.external = true;
  if (raw.labels !== undefined) out.labels = toStringMap(raw.labels);
  if (typeof raw.driver === 'string') out.driver = raw.driver;
  if (raw.driver_opts !== undefined) out.driver_opts = toStringMap(raw.driver_opts);
  if (typeof raw.template_driver === 'string') out.template_driver = raw.template_driver;
  const x = extensionsOf(raw);
  if (x) out.extensions = x;
  return out as unknown as Secret;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
