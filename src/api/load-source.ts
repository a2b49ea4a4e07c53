/** Loading the compose project a command names (`ProjectSource`): shared by the engine and watch. */
import { loadProject, type Project } from '../spec/index.js';
import type { ProjectSource } from './options.js';

/** `localEngine`: see LoadOptions (the engine's up/create/run pass `enforce`). */
export function loadFromSource(source: ProjectSource, onWarning?: (message: string) => void, localEngine?: 'warn' | 'enforce'): Promise<Project> {
  return loadProject({
    files: source.files,
    ...(source.projectName ? { projectName: source.projectName } : {}),
    ...(source.projectDirectory ? { projectDirectory: source.projectDirectory } : {}),
    envFiles: source.envFiles,
    profiles: source.profiles,
    env: source.env,
    cwd: source.cwd,
    ...(onWarning ? { onWarning: (w) => onWarning(w.message) } : {}),
    ...(localEngine ? { localEngine } : {}),
  });
}
