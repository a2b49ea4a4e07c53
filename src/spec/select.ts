/**
 * Service selection (`berth up web`): the named services plus everything they depend on
 * (depends_on already carries the implicit links/volumes_from/service: dependencies).
 * A service named explicitly is selected even when its profile is not enabled.
 */
import { SpecError } from '../errors.js';
import { deepFreeze } from './normalize-project.js';
import type { Project, Service } from './types.js';

function find(project: Project, name: string): Service | undefined {
  return project.services[name] ?? project.disabledServices[name];
}

/** The names plus their transitive dependencies, sorted. Unknown name: SpecError. */
export function serviceDependencies(project: Project, names: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string, from?: string): void => {
    if (seen.has(name)) return;
    const svc = find(project, name);
    if (!svc) {
      if (from !== undefined) return;
      throw new SpecError('spec/no-such-service', `no such service: ${name}`, { hint: `services: ${Object.keys(project.services).sort().join(', ')}` });
    }
    seen.add(name);
    for (const dep of Object.keys(svc.depends_on ?? {})) visit(dep, name);
  };
  for (const n of names) visit(n);
  return [...seen].sort();
}

/** A project reduced to `names` and their dependencies (no names: the project itself). */
export function selectServices(project: Project, names: readonly string[]): Project {
  if (names.length === 0) return project;
  const keep = serviceDependencies(project, names);
  const services = Object.fromEntries(keep.map((n) => [n, find(project, n)!]));
  const disabledServices = Object.fromEntries(Object.entries({ ...project.disabledServices, ...project.services }).filter(([n]) => !keep.includes(n)));
  // as compose's WithoutUnnecessaryResources: keep what the selected services use
  const used = { networks: new Set<string>(), volumes: new Set<string>(), secrets: new Set<string>(), configs: new Set<string>() };
  for (const svc of Object.values(services)) {
    for (const n of Object.keys(svc.networks ?? {})) used.networks.add(n);
    for (const v of svc.volumes ?? []) if (v.type === 'volume' && v.source !== undefined) used.volumes.add(v.source);
    for (const r of [...(svc.secrets ?? []), ...(svc.build?.secrets ?? [])]) used.secrets.add(r.source);
    for (const r of svc.configs ?? []) used.configs.add(r.source);
  }
  const pick = <T>(all: Readonly<Record<string, T>>, names: Set<string>): Record<string, T> => Object.fromEntries(Object.entries(all).filter(([k]) => names.has(k)));
  return deepFreeze({
    ...project,
    services,
    disabledServices,
    networks: pick(project.networks, used.networks),
    volumes: pick(project.volumes, used.volumes),
    secrets: pick(project.secrets, used.secrets),
    configs: pick(project.configs, used.configs),
  });
}
