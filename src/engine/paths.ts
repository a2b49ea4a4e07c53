import { BerthError } from '../errors.js';
import { berthRoot, berthRun } from '../util/berth-dirs.js';
const { join } = process.getBuiltinModule('node:path');

/** Where the engine keeps things, from BERTH_ROOT / BERTH_RUN (tests always set their own). */
export interface EnginePaths {
  readonly root: string;
  readonly run: string;
}

export function enginePaths(env: Readonly<Record<string, string | undefined>> = process.env): EnginePaths {
  return { root: berthRoot(env), run: berthRun(env) };
}

export const projectsDir = (p: EnginePaths): string => join(p.root, 'projects');
export const projectDir = (p: EnginePaths, project: string): string => join(p.root, 'projects', project);
export const volumesDir = (p: EnginePaths): string => join(p.root, 'volumes');
/** Volume names as Docker takes them (as network names): never a path out of the store. */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function checkVolumeName(name: string): void {
  if (!VOLUME_NAME.test(name)) throw new BerthError('volume/invalid-name', `volume name ${JSON.stringify(name)} must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
}

/** The volume's directory in the store; refuses a name that is not a plain name. */
export function volumeDir(p: EnginePaths, name: string): string {
  checkVolumeName(name);
  return join(p.root, 'volumes', name);
}
