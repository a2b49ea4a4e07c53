import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GROUPS, VALUE_FLAGS, commandKey } from '../../src/cli/bundle-loader.js';
import { globalFlags } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';

const loader = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'cli', 'bundle-loader.js')).href;

test('commandKey names the command, past global flags and their values', () => {
  assert.is(commandKey(['up', '-d']), 'up');
  assert.is(commandKey(['-f', 'a.yaml', '--project-name', 'x', 'down', '-v']), 'down');
  assert.is(commandKey(['--verbose', 'ps']), 'ps');
  assert.is(commandKey(['container', 'run', '--rm', 'img']), 'container-run');
  assert.is(commandKey(['container', '--help']), 'container');
  assert.is(commandKey(['exec', 'web', 'ls']), 'exec');
  assert.is(commandKey([]), 'berth');
  assert.is(commandKey(['--version']), 'berth');
  assert.is(commandKey(['../etc/passwd']), undefined);
  assert.is(commandKey(['UP']), undefined);
});

test('the flag and group lists are those of the CLI', () => {
  const valued = globalFlags.filter((f) => f.type !== 'bool').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
  assert.equal([...VALUE_FLAGS].sort(), valued.sort());
  const groups = Object.entries(commands)
    .filter(([, e]) => 'group' in e)
    .map(([n]) => n);
  assert.equal([...GROUPS].sort(), groups.sort());
});

function run(bundle: string, key: string, exitCode = 0, options = '{}'): { stdout: string; status: number | null } {
  const code = `import(${JSON.stringify(loader)}).then((m) => m.runBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}), ${JSON.stringify(key)}, ${options}))`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, EXIT: String(exitCode) } });
  return { stdout: r.stdout + r.stderr, status: r.status };
}

/** A bundle `main.cjs` with `code` in a fresh directory, removed afterwards. */
function withBundle(code: string | ((dir: string) => string), body: (bundle: string, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bundle-'));
  try {
    const bundle = join(dir, 'main.cjs');
    writeFileSync(bundle, typeof code === 'string' ? code : code(dir));
    body(bundle, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('runBundle runs a CommonJS file and writes its code cache after a successful run only', () => {
  withBundle(
    (dir) =>
      `const path = require('node:path'); console.log(path.basename(__filename), path.basename(__dirname) === ${JSON.stringify(dir.split('/').pop())}); process.exitCode = Number(process.env.EXIT);\n`,
    (bundle, dir) => {
      const cache = join(dir, 'cache', 'up.bin');
      assert.equal(run(bundle, 'up', 1), { stdout: 'main.cjs true\n', status: 1 });
      assert.not.ok(existsSync(cache), 'no cache after a failed run');
      assert.equal(run(bundle, 'up'), { stdout: 'main.cjs true\n', status: 0 });
      assert.is(statSync(cache).mode & 0o777, 0o600);
      assert.is(statSync(join(dir, 'cache')).mode & 0o777, 0o700);
      const first = readFileSync(cache);
      assert.equal(run(bundle, 'up'), { stdout: 'main.cjs true\n', status: 0 });
      assert.ok(readFileSync(cache).equals(first), 'an accepted cache is kept as it is');
      // a rebuilt bundle (another length): V8 rejects the old cache, a new one is written
      writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}// rebuilt\n`);
      assert.equal(run(bundle, 'up'), { stdout: 'main.cjs true\n', status: 0 });
      assert.not.ok(readFileSync(cache).equals(first), 'a rejected cache is replaced');
    },
  );
});

test('runBundle reads no cache that others may write', () => {
  withBundle("console.log('ran');\n", (bundle, dir) => {
    assert.equal(run(bundle, 'down'), { stdout: 'ran\n', status: 0 });
    const cache = join(dir, 'cache', 'down.bin');
    chmodSync(cache, 0o666);
    writeFileSync(cache, 'not bytecode');
    assert.equal(run(bundle, 'down'), { stdout: 'ran\n', status: 0 });
    assert.is.not(readFileSync(cache, 'utf8'), 'not bytecode', 'a file others may write is not read but replaced');
    assert.is(statSync(cache).mode & 0o777, 0o600);
    rmSync(cache);
    chmodSync(join(dir, 'cache'), 0o777);
    assert.equal(run(bundle, 'down'), { stdout: 'ran\n', status: 0 });
    assert.not.ok(existsSync(cache));
  });
});

test('a long-running process writes its cache after writeAfterMs, even when it is killed later', () => {
  withBundle("setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);\n", (bundle, dir) => {
    assert.is(run(bundle, 'supervisor', 0, '{ writeAfterMs: 50 }').status, null);
    assert.ok(existsSync(join(dir, 'cache', 'supervisor.bin')));
  });
});

test("a bundle's import() shows no ExperimentalWarning for the loader; other warnings still pass", () => {
  withBundle("import('node:os').then(() => process.emitWarning('kept', 'DeprecationWarning'));\n", (bundle) => {
    const r = run(bundle, 'up');
    assert.is(r.status, 0);
    assert.not.match(r.stdout, /ExperimentalWarning|USE_MAIN_CONTEXT_DEFAULT_LOADER/);
    assert.match(r.stdout, /DeprecationWarning: kept/);
  });
});

test.run();
