/** Loading the compose project for the engine, and naming a project without one (`-p NAME`). */
import { selectServices } from '../spec/index.js';
import type { Project } from '../spec/index.js';
import type { ProjectSource } from '../api/index.js';
import { loadFromSource } from '../api/index.js';
import { noSuchService } from './errors.js';

export { loadFromSource };

/** The project reduced to the named services (+ their dependencies unless noDeps). */
export function pickServices(project: Project, names: readonly string[] | undefined, noDeps = false): { project: Project; names: string[] } {
  if (!names || names.length === 0) return { project, names: Object.keys(project.services).sort() };
  for (const n of names) {
    if (!project.services[n]) {
      throw noSuchService(n, { hint: `services: ${Object.keys(project.services).sort().join(', ')}` });
    }
  }
  if (noDeps) return { project, names: [...names].sort() };
  const selected = selectServices(project, names);
  return { project, names: Object.keys(selected.services).sort() };
}

/**
 * The project name for commands that work without the compose file (down, ps, logs...):
 * `-p` wins; otherwise the compose file is loaded just for its name. A broken or missing
 * compose file with `-p` is fine.
 */
export async function projectNameOf(source: ProjectSource): Promise<{ name: string; project: Project | undefined }> {
  const COMPOSE_PROJECT_NAME = source.env.COMPOSE_PROJECT_NAME;
  if (source.projectName) {
    const project = await loadFromSource(source).catch(() => undefined);
    return { name: normalizeName(source.projectName), project };
  }
  try {
    const project = await loadFromSource(source);
    return { name: project.name, project };
  } catch (err) {
    if (COMPOSE_PROJECT_NAME) return { name: normalizeName(COMPOSE_PROJECT_NAME), project: undefined };
    throw err;
  }
}

function normalizeName(n: string): string {
  return n
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
