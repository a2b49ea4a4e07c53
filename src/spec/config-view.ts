/**
 * What `berth config` prints, as one library call (the CLI only parses flags and prints):
 * the canonical project, or one of the listing views (--services, --volumes, ...).
 */
import { loadProject } from './load-project.js';
import { selectServices } from './select.js';
import { serializeProject, toCanonical } from './serialize.js';
import type { LoadOptions, Project } from './types.js';
import { serviceImageRef } from './image-name.js';

export interface ConfigViewOptions extends LoadOptions {
  readonly services: readonly string[];
  readonly view: 'quiet' | 'full' | 'services' | 'volumes' | 'networks' | 'profiles' | 'images' | 'environment' | 'hash';
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
    case 'networks':
      return lines(Object.keys(project.networks).sort());
    case 'profiles':
      return lines(new Set(Object.values(project.services).flatMap((s) => s.profiles ?? []).sort()));
    case 'images':
      return lines(Object.values(project.services).map((s) => serviceImageRef(project.name, s.name, s.image)));
    case 'environment':
      return lines(Object.keys(project.environment).sort().map((k) => `${k}=${project.environment[k]}`));
    case 'hash':
      return lines(await hashes(project, options.hash ?? '*'));
    case 'full':
      return serializeProject(project, options.format);
  }
}

/** `SERVICE HASH` lines: sha256 of each service's canonical JSON (node:crypto loads only here). */
async function hashes(project: Project, spec: string): Promise<string[]> {
  const { createHash } = await import('node:crypto');
  const data = toCanonical(project, 'json') as { services: Record<string, unknown> };
  const names = spec === '*' ? Object.keys(project.services).sort() : spec.split(',').map((s) => s.trim());
  return names.map((n) => `${n} ${createHash('sha256').update(JSON.stringify(data.services[n])).digest('hex')}`);
}
