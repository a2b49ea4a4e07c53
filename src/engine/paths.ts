import { join } from 'node:path';

/** Where the engine keeps things, from BERTH_ROOT / BERTH_RUN (tests always set their own). */
export interface EnginePaths {
  readonly root: string;
  readonly run: string;
}

export function enginePaths(env: Readonly<Record<string, string | undefined>> = process.env): EnginePaths {
  return { root: env.BERTH_ROOT ?? '/var/lib/berth', run: env.BERTH_RUN ?? '/run/berth' };
}

export const projectsDir = (p: EnginePaths): string => join(p.root, 'projects');
export const projectDir = (p: EnginePaths, project: string): string => join(p.root, 'projects', project);
export const volumesDir = (p: EnginePaths): string => join(p.root, 'volumes');
export const volumeDir = (p: EnginePaths, name: string): string => join(p.root, 'volumes', name);
