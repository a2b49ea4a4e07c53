// Runs `bin/berth config` (args without a `config` line get it prepended; global flags
// go before it) on every fixture of fixtures/compose/ and compares stdout (or
// stderr for errors) with the golden files. BERTH_UPDATE_GOLDEN=1 rewrites the goldens
// (review the diff: a concurrent rebuild of dist/ can make a run fail spuriously).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listFixtures, root } from '../spec/compose-fixtures.js';

const update = process.env.BERTH_UPDATE_GOLDEN === '1';
// BERTH_FIXTURE=substring runs (or updates) only the matching fixtures
const only = process.env.BERTH_FIXTURE;
const fixtures = listFixtures().filter((f) => !only || f.name.includes(only));

test('the corpus has at least 60 fixtures', () => {
  assert.ok(only !== undefined || fixtures.length >= 60, `only ${fixtures.length} fixtures`);
});

for (const f of fixtures) {
  test(`fixture ${f.name}`, () => {
    const res = spawnSync(process.execPath, [join(root, 'bin', 'berth'), ...(f.args.includes('config') ? f.args : ['config', ...f.args])], {
      cwd: f.cwd,
      env: { PATH: '/usr/bin:/bin', HOME: '/home/tester', ...f.env },
      input: f.stdin ?? '',
      encoding: 'utf8',
    });
    const clean = (s: string): string => s.split(f.dir).join('$FIXTURE');
    const out = clean(res.stdout);
    const err = clean(res.stderr);
    if (update) {
      rmSync(join(f.dir, 'expected.yaml'), { force: true });
      rmSync(join(f.dir, 'expected-error.txt'), { force: true });
      if (res.status === 0) writeFileSync(join(f.dir, 'expected.yaml'), out);
      else writeFileSync(join(f.dir, 'expected-error.txt'), err);
      if (f.expectedWarnings !== undefined) writeFileSync(join(f.dir, 'expected-warnings.txt'), err);
      return;
    }
    assert.not.match(err, /^\s+at /m, 'a stack trace reached the user');
    if (f.expectedError !== undefined) {
      assert.ok(res.status === 1 || res.status === 2, `expected failure, got exit ${res.status}\n${out}`);
      assert.fixture(err, f.expectedError);
    } else {
      assert.is(res.status, 0, err);
      assert.fixture(out, f.expected ?? '(no expected.yaml)');
      if (f.expectedWarnings !== undefined) assert.fixture(err, f.expectedWarnings);
    }
  });
}

test.run();
