/**
 * `loadProject`: the whole pipeline (README.md lists the stages).
 *   find files -> read env -> per file: parse (positions) -> validate -> interpolate ->
 *   extends -> include; merge -> validate -> normalize -> freeze.
 */
import { checkProjectName, locate, normalizeProjectName, projectNameFromDir } from './find.js';
import { createContext } from './context.js';
import { SpecError } from '../errors.js';
import { loadModel } from './model.js';
import { normalizeProject } from './normalize-project.js';
import type { LoadOptions, Project } from './types.js';
import { checkLocalSupport } from './local-support.js';

export async function loadProject(options: LoadOptions): Promise<Project> {
  const stdinText = options.files?.includes('-') && options.readStdin ? await options.readStdin() : undefined;
  return loadProjectSync({ ...options }, stdinText);
}

/** The merged model before normalization (`config --no-normalize`, `--variables`): found, read, interpolated (unless off), extends/include applied. */
export function loadRawModel(options: LoadOptions, stdinText?: string): Record<string, unknown> {
  const located = locate(options);
  const env = { ...located.environment };
  env.COMPOSE_PROJECT_NAME = options.projectName ?? env.COMPOSE_PROJECT_NAME ?? projectNameFromDir(located.workingDir);
  const ctx = createContext({ home: options.env.HOME ?? '/root', interpolate: options.interpolate ?? true, stdinText, onWarning: options.onWarning, explicitName: options.projectName !== undefined });
  return loadModel(ctx, located.files, located.workingDir, env);
}

/** The same pipeline without stdin (tests and benchmarks call it directly). */
export function loadProjectSync(options: LoadOptions, stdinText?: string): Project {
  const located = locate(options);
  const env = { ...located.environment };
  let explicit: string | undefined;
  if (options.projectName !== undefined) explicit = checkProjectName(options.projectName, '-p');
  else if (env.COMPOSE_PROJECT_NAME) explicit = checkProjectName(env.COMPOSE_PROJECT_NAME, 'COMPOSE_PROJECT_NAME');
  // visible to interpolation, as in compose (a file's `name:` updates it while loading)
  env.COMPOSE_PROJECT_NAME = explicit ?? projectNameFromDir(located.workingDir);
  const ctx = createContext({
    home: options.env.HOME ?? '/root',
    interpolate: options.interpolate ?? true,
    stdinText,
    onWarning: options.onWarning,
    explicitName: explicit !== undefined,
  });
  const model = loadModel(ctx, located.files, located.workingDir, env);

  let name: string;
  if (explicit !== undefined) name = explicit;
  else if (typeof model.name === 'string' && normalizeProjectName(model.name) !== '') name = normalizeProjectName(model.name);
  else name = projectNameFromDir(located.workingDir);
  if (name === '') {
    throw new SpecError('spec/project-name', `cannot derive a project name from the directory ${located.workingDir}`, { hint: 'set one with -p or a top-level name:' });
  }

  const profiles =
    options.profiles && options.profiles.length > 0
      ? options.profiles
      : (env.COMPOSE_PROFILES ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '');

  const project = normalizeProject(ctx, model, {
    name,
    workingDir: located.workingDir,
    composeFiles: located.files,
    profiles: [...new Set(profiles)],
    environment: env,
  });
  if (options.localEngine) checkLocalSupport(ctx, project, options.localEngine);
  return project;
}
