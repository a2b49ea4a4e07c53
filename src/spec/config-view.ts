/**
 * What `berth config` prints, as one library call (the CLI only parses flags and prints):
 * the canonical project, or one of the listing views (--services, --volumes, ...).
 */
import { createHash } from 'node:crypto';
import { loadProject } from './load-project.js';
import { selectServices } from './select.js';
import { serializeProject, toCanonical } from './serialize.js';
import type { LoadOptions, Project } from './types.js';

export interface ConfigViewOptions extends LoadOptions {
  readonly services: readonly string[];
  readonly view: 'quiet' | 'full' | 'services' | 'volumes' | 'profiles' | 'images' | 'environment' | 'hash';
  readonly format: 'yaml' | 'json';
  readonly hash?: string | undefined;
}

export async function renderConfig(options: ConfigViewOptions): Promise<string> {
  // --profiles lists every profile, so load with all of them enabled
  const project = selectServices(await loadProject(options.view === 'profiles' ? { ...options, profiles: ['*'] } : options), options.services);
  const lines = (xs: Iterable<string>): string => [...xs].map((x) => `${x}\n`).join('');
  switch (options.view) {
    case 'quiet':
      return '';
    case 'services':
      return lines(Object.keys(project.services).sort());
    case 'volumes':
      return lines(Object.keys(project.volumes).sort());
    case 'profiles':
      return lines(new Set(Object.values(project.services).flatMap((s) => s.profiles ?? []).sort()));
    case 'images':
      return lines(Object.values(project.services).map((s) => s.image ?? `${project.name}-${s.name}`));
    case 'environment':
      return lines(Object.keys(project.environment).sort().map((k) => `${k}=${project.environment[k]}`));
    case 'hash':
      return lines(hashes(project, options.hash ?? '*'));
    case 'full':
      return serializeProject(project, options.format);
  }
}

/** `service hash` lines: sha256 of the service's canonical JSON. */
export function serviceHash(project: Project, name: string): string {
  const data = toCanonical(project, 'json') as { services: Record<string, unknown> };
  return createHash('sha256').update(JSON.stringify(data.services[name])).digest('hex');
}

function hashes(project: Project, spec: string): string[] {
  const names = spec === '*' ? Object.keys(project.services).sort() : spec.split(',').map((s) => s.trim());
  return names.map((n) => `${n} ${serviceHash(project, n)}`);
}
