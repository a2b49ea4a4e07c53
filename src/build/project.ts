// `berth build [SERVICE...]`: builds the images of a compose project's services that have a
// `build:` section (one build per image name), progress as engine events.
import { loadFromSource } from '../api/load-source.js';
import type { EngineEvent, ProjectSource } from '../api/index.js';
import { BerthError } from '../errors.js';
import type { LocalImage } from '../image/types.js';
import { buildService, serviceImageName } from './compose.js';
import { buildDeps } from './deps.js';

type WithoutTime<T> = T extends unknown ? Omit<T, 'time'> : never;

export interface BuildProjectOptions {
  readonly source: ProjectSource;
  /** Services named on the command line (empty = every service with `build:`). */
  readonly services?: readonly string[];
  readonly noCache?: boolean;
  readonly pull?: boolean;
  readonly buildArgs?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EngineEvent) => void;
}

export interface BuiltService {
  readonly service: string;
  readonly image: LocalImage;
  readonly cached: boolean;
}

export async function buildProject(options: BuildProjectOptions): Promise<BuiltService[]> {
  const emit = (e: WithoutTime<EngineEvent>): void => options.onEvent?.({ ...e, time: Date.now() } as EngineEvent);
  const project = await loadFromSource(options.source, (message) => emit({ kind: 'warning', message }));
  const all = Object.keys(project.services).sort();
  for (const n of options.services ?? []) {
    if (!project.services[n]) throw new BerthError('build/no-such-service', `no such service: ${n}`, { hint: `services: ${all.join(', ')}` });
  }
  const names = (options.services?.length ? [...options.services] : all).filter((n) => project.services[n]!.build !== undefined);
  const deps = buildDeps(options.source.env);
  const done = new Map<string, BuiltService>();
  const out: BuiltService[] = [];
  for (const name of names) {
    const ref = serviceImageName(project, name);
    const same = done.get(ref);
    if (same) {
      out.push({ ...same, service: name });
      continue;
    }
    const r = await buildService(deps, project, name, {
      ...(options.noCache ? { noCache: true } : {}),
      ...(options.pull ? { pull: true } : {}),
      ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      env: options.source.env,
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (e) => emit(e),
    });
    const built = { service: name, image: r.image, cached: r.cached };
    done.set(ref, built);
    out.push(built);
  }
  return out;
}
