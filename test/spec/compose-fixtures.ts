/**
 * The compose fixture corpus (`fixtures/compose/<name>/`): each folder holds compose files
 * and optionally `args` (one `berth config` argument per line), `env` (KEY=VALUE lines for
 * the process environment), `stdin`, `cwd` (a sub-folder to run in), and the golden
 * `expected.yaml` (stdout, exit 0) or `expected-error.txt` (stderr, exit 1/2), plus
 * `expected-warnings.txt` when warnings are part of the check. `$FIXTURE` in goldens
 * stands for the folder's absolute path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..', '..');
export const fixturesDir = join(root, 'fixtures', 'compose');
/** The Compose JSON schema as compose-go ships it (fixtures/upstream/README.md says which commit). */
export const schemaPath = join(root, 'fixtures', 'upstream', 'compose-go', 'schema', 'compose-spec.json');

export interface Fixture {
  readonly name: string;
  readonly dir: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly stdin: string | undefined;
  readonly cwd: string;
  readonly expected: string | undefined;
  readonly expectedError: string | undefined;
  readonly expectedWarnings: string | undefined;
}

const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);

export function listFixtures(): Fixture[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = join(fixturesDir, name);
      const lines = (f: string): string[] => (read(join(dir, f)) ?? '').split('\n').filter((l) => l !== '');
      return {
        name,
        dir,
        args: lines('args'),
        env: Object.fromEntries(lines('env').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
        stdin: read(join(dir, 'stdin')),
        cwd: join(dir, (read(join(dir, 'cwd')) ?? '.').trim()),
        expected: read(join(dir, 'expected.yaml')),
        expectedError: read(join(dir, 'expected-error.txt')),
        expectedWarnings: read(join(dir, 'expected-warnings.txt')),
      };
    });
}

/** Compose files of a fixture (what a schema check should look at). */
export function composeFilesOf(f: Fixture): string[] {
  return readdirSync(f.dir)
    .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('expected'))
    .map((n) => join(f.dir, n));
}
