/**
 * What `berth config` prints, as one library call (the CLI only parses flags and prints):
 * the canonical project, or one of the listing views (--services, --volumes, ...).
 */
import { loadProject } from './load-project.js';
import { selectServices } from './select.js';
import { serializeProject, toCanonical } from './serialize.js';
import type { LoadOptions, Project } from './types.js';
import { serviceImageRef } from './image-name.js';
import { extractVariables, type TemplateVariable } from './variables.js';
import { emitYaml } from './yaml-emit.js';
import { unresolveModelPaths } from './paths.js';
import { loadRawModel } from './load-project.js';

export interface ConfigViewOptions extends LoadOptions {
  readonly services: readonly string[];
  readonly view: 'quiet' | 'full' | 'services' | 'volumes' | 'networks' | 'profiles' | 'images' | 'environment' | 'hash' | 'variables';
  /** `table` only for `variables` (its default). */
  readonly format: 'yaml' | 'json' | 'table';
  readonly hash?: string | undefined;
  /** `--no-normalize`: the merged model as the files give it (interpolated, paths resolved), without defaults or canonical forms. */
  readonly normalize?: boolean;
  /** `--resolve-image-digests`: each service's image reference -> the same pinned by digest (`name@sha256:…`). */
  readonly pinImage?: (ref: string) => Promise<string>;
  /** `--no-path-resolution`: paths under the project directory printed relative to it. */
  readonly resolvePaths?: boolean;
}

export async function renderConfig(options: ConfigViewOptions): Promise<string> {
  if (options.view === 'variables' || options.normalize === false) {
    const stdinText = options.files?.includes('-') && options.readStdin ? await options.readStdin() : undefined;
    const model = loadRawModel({ ...options, ...(options.view === 'variables' ? { interpolate: false } : {}) }, stdinText);
    if (options.view === 'variables') return variablesText(extractVariables(model), options.format);
    return options.format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : emitYaml(model);
  }
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
      return lines(
        new Set(
          Object.values(project.services)
            .flatMap((s) => s.profiles ?? [])
            .sort(),
        ),
      );
    case 'images':
      return lines(Object.values(project.services).map((s) => serviceImageRef(project.name, s.name, s.image)));
    case 'environment':
      return lines(
        Object.keys(project.environment)
          .sort()
          .map((k) => `${k}=${project.environment[k]}`),
      );
    case 'hash':
      return lines(await hashes(project, options.hash ?? '*'));
    case 'full': {
      const shown = options.pinImage ? await pinImages(project, options.pinImage) : project;
      if (options.resolvePaths !== false) return serializeProject(shown, options.format === 'json' ? 'json' : 'yaml');
      const data = unresolveModelPaths(toCanonical(shown, options.format === 'json' ? 'json' : 'yaml'), project.workingDir);
      return options.format === 'json' ? `${JSON.stringify(data, null, 2).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n` : emitYaml(data);
    }
  }
}

/** The project with every service's image pinned by digest (compose's --resolve-image-digests). */
async function pinImages(project: Project, pin: (ref: string) => Promise<string>): Promise<Project> {
  const services: Record<string, Project['services'][string]> = {};
  for (const [name, s] of Object.entries(project.services)) services[name] = s.image ? { ...s, image: await pin(s.image) } : s;
  return { ...project, services };
}

/** `NAME  REQUIRED  DEFAULT VALUE  ALTERNATE VALUE` as compose prints them, or JSON/YAML keyed by name. */
function variablesText(vars: readonly TemplateVariable[], format: ConfigViewOptions['format']): string {
  if (format === 'table') {
    const rows = [['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'], ...vars.map((v) => [v.name, String(v.required), v.defaultValue, v.alternateValue])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return (
      rows
        .map((r) =>
          r
            .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
            .join('   ')
            .trimEnd(),
        )
        .join('\n') + '\n'
    );
  }
  const byName = Object.fromEntries(vars.map((v) => [v.name, { Name: v.name, DefaultValue: v.defaultValue, PresenceValue: v.alternateValue, Required: v.required }]));
  return format === 'json' ? `${JSON.stringify(byName, null, 2)}\n` : emitYaml(byName);
}

/** `SERVICE HASH` lines: sha256 of each service's canonical JSON (node:crypto loads only here). */
async function hashes(project: Project, spec: string): Promise<string[]> {
  const { createHash } = await import('node:crypto');
  const data = toCanonical(project, 'json') as { services: Record<string, unknown> };
  const names = spec === '*' ? Object.keys(project.services).sort() : spec.split(',').map((s) => s.trim());
  return names.map((n) => `${n} ${createHash('sha256').update(JSON.stringify(data.services[n])).digest('hex')}`);
}
