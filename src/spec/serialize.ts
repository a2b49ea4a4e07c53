import type { Project } from './types.js';

/** The project as plain data in `docker compose config`'s canonical shape (sorted keys). */
export function toCanonical(project: Project): Record<string, unknown> {
  return { name: project.name };
}

/** `berth config` text: YAML (default) or JSON. */
export function serializeProject(project: Project, format: 'yaml' | 'json' = 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(toCanonical(project), null, 2)}\n` : `name: ${project.name}\n`;
}
