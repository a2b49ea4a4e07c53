/**
 * Stage "find" and "env": which compose files, which project directory, which variables,
 * which project name (compose-go `cli/options.go` is the model).
 */
import { SpecError, errnoCode } from '../errors.js';
import { parseDotenv, parseRawEnv, DotenvError } from './dotenv.js';
import type { LoadOptions } from './types.js';
const { existsSync, readFileSync, statSync } = process.getBuiltinModule('node:fs');
const { basename, dirname, isAbsolute, join, resolve } = process.getBuiltinModule('node:path');

const MAIN_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface Located {
  /** Absolute paths; '-' for stdin. */
  readonly files: string[];
  readonly workingDir: string;
  /** Shell env over --env-file/.env (the interpolation source). */
  readonly environment: Record<string, string>;
}

export function locate(options: LoadOptions): Located {
  const shell = definedOnly(options.env);
  const cwd = options.cwd;
  const projectDir = options.projectDirectory ? resolve(cwd, options.projectDirectory) : undefined;

  // as docker compose: the .env of the directory we start from (the first -f file's, else
  // the current one) is read first (COMPOSE_FILE may come from it); once the files are
  // known, the project directory's .env adds what the first did not set
  const firstGiven = options.files?.find((f) => f !== '-');
  const startDir = projectDir ?? (firstGiven !== undefined ? dirname(resolve(cwd, firstGiven)) : cwd);
  const early = { ...readEnvFiles(defaultEnvFiles(startDir, options, cwd), shell), ...shell };
  let files: string[];
  if (options.files && options.files.length > 0) files = options.files.map((f) => (f === '-' ? '-' : resolve(cwd, f)));
  else if (early.COMPOSE_FILE) {
    const sep = early.COMPOSE_PATH_SEPARATOR || ':';
    files = early.COMPOSE_FILE.split(sep)
      .filter((f) => f !== '')
      .map((f) => resolve(projectDir ?? cwd, f));
  } else files = discover(projectDir ?? cwd);

  for (const f of files) {
    if (f !== '-' && !existsSync(f)) {
      throw new SpecError('spec/file-not-found', `compose file not found: ${f}`, { position: { file: f } });
    }
  }
  const first = files.find((f) => f !== '-');
  const workingDir = projectDir ?? (first ? dirname(first) : cwd);
  const environment = workingDir === startDir ? early : { ...readEnvFiles(defaultEnvFiles(workingDir, options, cwd), early), ...early };
  return { files, workingDir, environment };
}

function defaultEnvFiles(dir: string, options: LoadOptions, cwd: string): { path: string; required: boolean }[] {
  if (options.envFiles && options.envFiles.length > 0) return options.envFiles.map((f) => ({ path: resolve(cwd, f), required: true }));
  return [{ path: join(dir, '.env'), required: false }];
}

/** Reads env files in order (later wins); each file may use the variables before it. */
export function readEnvFiles(files: readonly { path: string; required: boolean }[], shell: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, required } of files) {
    let text: string;
    try {
      if (statSync(path).isDirectory()) {
        if (!required) continue;
        throw new SpecError('spec/env-file', `env file ${path} is a directory`, { position: { file: path } });
      }
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (err instanceof SpecError) throw err;
      if (!required && errnoCode(err) === 'ENOENT') continue;
      throw new SpecError('spec/env-file', `env file ${path} not found`, { position: { file: path }, cause: err });
    }
    Object.assign(
      out,
      parseEnvText(text, path, (k) => shell[k], undefined, out),
    );
  }
  return out;
}

/** `earlier`: what env files read before this one set (below `lookup`, as compose-go). */
export function parseEnvText(text: string, file: string, lookup: (k: string) => string | undefined, format?: 'raw', earlier: Readonly<Record<string, string>> = {}): Record<string, string> {
  try {
    return format === 'raw' ? parseRawEnv(text, lookup) : parseDotenv(text, lookup, earlier);
  } catch (err) {
    if (err instanceof DotenvError) {
      throw new SpecError('spec/env-file', `failed to read ${file}: ${err.message}`, { position: { file, line: err.line } });
    }
    throw err;
  }
}

function discover(start: string): string[] {
  let dir = start;
  for (;;) {
    const found = MAIN_NAMES.filter((n) => existsSync(join(dir, n)));
    if (found.length > 0) {
      const main = found[0]!;
      const stem = main.replace(/\.ya?ml$/, '');
      const override = [`${stem}.override.yaml`, `${stem}.override.yml`].find((n) => existsSync(join(dir, n)));
      return [join(dir, main), ...(override ? [join(dir, override)] : [])];
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new SpecError('spec/no-config', 'no configuration file provided: not found', {
        position: { file: start },
        hint: `none of ${MAIN_NAMES.join(', ')} exists in ${start} or a parent directory`,
      });
    }
    dir = parent;
  }
}

/** compose-go NormalizeProjectName. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** An explicitly given name (-p, COMPOSE_PROJECT_NAME) must already be normalized. */
export function checkProjectName(name: string, source: string): string {
  if (name === '' || normalizeProjectName(name) !== name) {
    throw new SpecError('spec/project-name', `invalid project name ${JSON.stringify(name)} (from ${source})`, {
      hint: 'it must consist only of lowercase alphanumeric characters, hyphens, and underscores, and start with a letter or number',
    });
  }
  return name;
}

export function projectNameFromDir(dir: string): string {
  return normalizeProjectName(basename(dir));
}

export function absolute(base: string, p: string): string {
  if (p.startsWith('~/') || p === '~') return join(process.env.HOME ?? '/', p.slice(1));
  return isAbsolute(p) ? resolve(p) : resolve(base, p);
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
