import type { Project } from './types.js';

/** The names plus everything they depend on (depends_on, links, volumes_from, service: modes). */
export function serviceDependencies(project: Project, names: readonly string[]): string[] {
  void project;
  return [...names];
}

/** A project reduced to `names` and their dependencies (errors on an unknown service). */
export function selectServices(project: Project, names: readonly string[]): Project {
  void names;
  return project;
}
