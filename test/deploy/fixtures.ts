/** The deploy fixtures (fixtures/deploy/<name>/compose.yaml), loaded as the CLI would. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dump, load } from 'js-yaml';
import { join } from 'node:path';
import { loadProject, type Project } from '../../src/spec/index.js';

export const deployRoot = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'deploy');

export function deployFixtures(): string[] {
  return readdirSync(deployRoot).sort();
}

/** The environment every fixture loads with (a fixed one: goldens must not see the shell's). */
export const FIXTURE_ENV: Readonly<Record<string, string>> = { DB_PASSWORD: 'pw' };

export function loadFixture(name: string, env: Record<string, string> = {}): Promise<Project> {
  const dir = join(deployRoot, name);
  return loadProject({ files: [join(dir, 'compose.yaml')], env: { ...FIXTURE_ENV, ...env }, cwd: dir });
}

/**
 * `docker stack deploy` reads compose v3: no top-level `name`, `depends_on` as a list.
 * Writes that variant of DIR/compose.yaml as DIR/stack.yaml and returns its path.
 */
export function writeStackFile(dir: string): string {
  const raw = load(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as { name?: string; version?: string; services: Record<string, { depends_on?: unknown }> };
  delete raw.name;
  raw.version = '3.8';
  for (const s of Object.values(raw.services)) if (s.depends_on && !Array.isArray(s.depends_on)) s.depends_on = Object.keys(s.depends_on);
  const file = join(dir, 'stack.yaml');
  writeFileSync(file, dump(raw));
  return file;
}
