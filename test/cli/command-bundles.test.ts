// The bundles of one command (scripts/bundle.mjs, dist/bundle/<key>/main.cjs): bin/berth runs
// `container run` from its own, which holds that command only, and --version/--help from one
// without commands. (Every mode of the command
// itself runs through bin/berth in test/runtime/cli-container.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..', '..');
const bundle = join(repo, 'dist', 'bundle', 'container-run', 'main.cjs');

if (!existsSync(bundle)) {
  console.log(`skipped: ${bundle} is not built (scripts/bundle.mjs needs esbuild)`);
} else {
  test('bin/berth runs `container run` from its own bundle', () => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), 'container', 'run', '--help'], { encoding: 'utf8', env: { ...process.env, BERTH_TRACE: '1' } });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: {2}berth container run /);
    assert.is(r.stderr.replace(/^berth-trace .*\n/gm, ''), '');
  });

  test('bin/berth runs --version and --help from the bundle without commands', () => {
    assert.ok(existsSync(join(repo, 'dist', 'bundle', 'berth', 'main.cjs')));
    const version = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), '--version'], { encoding: 'utf8' });
    assert.is(version.status, 0, version.stderr);
    assert.match(version.stdout, /^berth version \d+\.\d+\.\d+/);
    const help = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), '--help'], { encoding: 'utf8' });
    assert.is(help.status, 0, help.stderr);
    assert.match(help.stdout, /container +Manage single containers/);
  });

  test('a command left out of a bundle fails with a one-line error, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-bundles-'));
    try {
      // named `berth`: the entry runs main() only when started as berth (src/main.ts)
      const entry = join(dir, 'berth');
      writeFileSync(entry, `require(${JSON.stringify(join(repo, 'dist', 'src', 'cli', 'bundle-loader.js'))}).runBundle(require('node:url').pathToFileURL(${JSON.stringify(bundle)}), undefined);\n`);
      const r = spawnSync(process.execPath, [entry, 'ls'], { encoding: 'utf8' });
      assert.is(r.status, 1);
      assert.is(r.stderr, 'berth: cli/commands/index.js:./ls.js is not in the bundle of berth container run (scripts/bundle.mjs)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
