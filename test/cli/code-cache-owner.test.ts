// Regression (issue 12, class 4): bytecode is code. A code cache in a directory another local
// user made first (Node's default `$TMPDIR/node-compile-cache`, or a bundle cache directory)
// must not be used by berth running as root: nothing is written there, nothing is read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { skipUnlessKernel } from '../helpers/kernel.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const berth = join(repo, 'bin', 'berth');
const loader = pathToFileURL(join(repo, 'dist', 'src', 'cli', 'bundle-loader.js')).href;
const NOBODY = 65534;

/** Every file under `dir` (relative paths), sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function withScratch(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-secnet-cc-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip = skipUnlessKernel('code cache ownership', () => (process.geteuid?.() === 0 ? undefined : 'needs root to own files as another user'));

if (!skip) {
  test('bin/berth does not use a compile cache in TMPDIR that another user created first', () => {
    withScratch((scratch) => {
      // the attacker's directory at Node's default place, open to them
      const attacker = join(scratch, 'node-compile-cache');
      mkdirSync(attacker, { mode: 0o777 });
      chownSync(attacker, NOBODY, NOBODY);
      const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: scratch };
      delete env.NODE_COMPILE_CACHE;
      for (let i = 0; i < 2; i++) {
        const r = spawnSync(process.execPath, [berth, '--version'], { encoding: 'utf8', env });
        assert.is(r.status, 0, r.stderr);
      }
      assert.equal(filesUnder(attacker), [], 'berth wrote bytecode into a directory another user owns');
    });
  });

  test('the bundle loader neither reads nor writes a cache directory another user owns or a symlink points to', () => {
    withScratch((dir) => {
      // two sources of the same length: V8 takes a cache made from the other one (it checks
      // the source's length only), so a planted cache would run the attacker's code
      const bundle = join(dir, 'main.cjs');
      const run = (key: string): string => {
        const code = `import(${JSON.stringify(loader)}).then((m) => m.runBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}), ${JSON.stringify(key)}))`;
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
        return r.stdout + r.stderr;
      };
      writeFileSync(bundle, "console.log('pwn');\n");
      assert.is(run('up'), 'pwn\n');
      const planted = join(dir, 'cache');
      // the cache of the attacker's source, in a directory the attacker owns
      chownSync(planted, NOBODY, NOBODY);
      writeFileSync(bundle, "console.log('ran');\n");
      assert.is(run('up'), 'ran\n', 'bytecode from a directory another user owns ran');
      assert.equal(filesUnder(planted), ['up.bin'], 'nothing is written there either');
      // the same directory behind a symlink
      writeFileSync(bundle, "console.log('pwn');\n");
      chownSync(planted, 0, 0);
      rmSync(join(planted, 'up.bin'));
      assert.is(run('up'), 'pwn\n');
      writeFileSync(bundle, "console.log('ran');\n");
      // a symlink owned by the attacker to the real-looking cache
      const moved = join(dir, 'moved');
      renameSync(planted, moved);
      symlinkSync(moved, planted);
      assert.is(run('up'), 'ran\n', 'bytecode behind a symlink ran');
    });
  });
}

test.run();
