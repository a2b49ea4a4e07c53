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
  const disabledServices = Object.fromEntries(
    Object.entries({ ...project.disabledServices, ...project.services }).filter(([n]) => !keep.includes(n)),
  );
  return deepFreeze({ ...project, services, disabledServices });
}
