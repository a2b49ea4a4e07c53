/** The deploy fixtures (fixtures/deploy/<name>/compose.yaml), loaded as the CLI would. */
import { readdirSync } from 'node:fs';
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
