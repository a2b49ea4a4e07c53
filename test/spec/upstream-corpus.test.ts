// docker/compose's e2e compose files and compose-go's loader testdata (fixtures/upstream,
// Apache-2.0): every file docker compose accepts, berth's loader accepts (warnings
// allowed); every file it refuses, berth refuses with a positioned SpecError (file, line,
// tree path). Loaded as `berth config` loads (keys the local engine does not apply warn).
// The verdicts and the environment each upstream test sets are in
// fixtures/upstream/manifest.json; a case marked `gap` must still diverge, so that fixing
// it flips this test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadProjectSync, type Project } from '../../src/spec/index.js';
import { SpecError } from '../../src/errors.js';
import { root } from './compose-fixtures.js';

interface Case {
  readonly files: readonly string[];
  /** Where the command runs, when it is not the first file's directory (no -f: discovery). */
  readonly cwd?: string;
  /** `--project-directory`. */
  readonly projectDirectory?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly expect: 'accept' | 'refuse';
  /** For a refusal: a fragment of docker compose's message that berth's says too. */
  readonly error?: string;
  /** For an accepted case: values the upstream test asserts (dotted path in the project). */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly why?: string;
  readonly upstream: string;
  /** berth diverges here for this reason (a known gap). */
  readonly gap?: string;
}

const corpus = join(root, 'fixtures', 'upstream');
const { cases } = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as { cases: Case[] };

function composeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return composeFiles(p);
    return /\.ya?ml$/.test(n) ? [relative(corpus, p)] : [];
  });
}

type Outcome = { readonly ok: true; readonly project: Project } | { readonly ok: false; readonly error: unknown };

function load(c: Case): Outcome {
  const files = c.files.map((f) => join(corpus, f));
  const cwd = c.cwd !== undefined ? join(corpus, c.cwd) : dirname(files[0]!);
  const projectDirectory = c.projectDirectory !== undefined ? join(corpus, c.projectDirectory) : undefined;
  try {
    const project = loadProjectSync({ files, cwd, projectDirectory, env: { HOME: '/home/corpus', ...c.env }, localEngine: 'warn', onWarning: () => {} });
    return { ok: true, project };
  } catch (error) {
    return { ok: false, error };
  }
}

function positioned(error: unknown): string | undefined {
  if (!(error instanceof SpecError)) return `not a SpecError: ${String(error)}`;
  if (error.position?.file === undefined || error.position.line === undefined) return `no file:line: ${error.toString()}`;
  if (!error.path) return `no tree path: ${error.toString()}`;
  return undefined;
}

test('every compose file of the corpus has a verdict', () => {
  const named = new Set(cases.flatMap((c) => c.files));
  const missing = composeFiles(corpus).filter((f) => !named.has(f));
  assert.equal(missing, [], 'files without a case in manifest.json');
});

for (const c of cases) {
  const name = `${c.expect} ${c.files.join(' + ') || `(discovered in ${c.cwd})`}${c.gap ? ' [gap]' : ''}`;
  test(name, () => {
    const outcome = load(c);
    const diverges = c.expect === 'accept' ? !outcome.ok : outcome.ok || positioned(outcome.error) !== undefined;
    if (c.gap) {
      assert.ok(diverges, `known gap closed (${c.gap}): drop "gap" from its case in manifest.json`);
      return;
    }
    if (c.expect === 'accept') {
      if (!outcome.ok) {
        assert.unreachable(`docker compose accepts it (${c.upstream}); berth: ${String(outcome.error)}`);
        return;
      }
      for (const [path, want] of Object.entries(c.values ?? {})) {
        const got = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], outcome.project);
        assert.equal(got, want, `${path} (${c.upstream})`);
      }
    } else {
      if (outcome.ok) {
        assert.unreachable(`docker compose refuses it (${c.why ?? c.upstream}); berth accepts it`);
        return;
      }
      const problem = positioned(outcome.error);
      assert.is(problem, undefined, problem);
      const said = String(outcome.error);
      if (c.error !== undefined) assert.ok(said.includes(c.error), `the message lacks "${c.error}": ${said}`);
    }
  });
}

test.run();
