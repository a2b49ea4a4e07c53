// `npm ci` on a machine with only gcc and libc6-dev (no zlib1g-dev, no libssl-dev): the
// native build still succeeds, quietly, and berth-unpack built without zlib and libcrypto
// says so (`--capabilities`); unpackLayer then inflates and hashes in Node and the same
// digests, errors and refusals come out. The headers are hidden in a private mount
// namespace this test makes (test/helpers/hide-headers.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, cpSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { unpackCapabilities } from '../../src/image/unpack.js';
import { REPO } from '../e2e/harness.js';
import { cannotHide, withoutDevFiles, type DevPackage } from '../helpers/hide-headers.js';
import { makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { unpackChecks } from '../image/unpack-fallback-checks.js';

const skip = skipUnlessKernel('berth-unpack built without zlib and OpenSSL headers', cannotHide);
const roots = makeTestRoots('unpack-build');

/** A copy of the build script and berth-unpack's sources (no other program: faster), built with `hidden` hidden. */
function build(name: string, hidden: readonly DevPackage[]): { dir: string; status: number | null; out: string; err: string } {
  const dir = join(roots.root, name);
  for (const p of ['scripts/build-native.mjs', 'native/unpack', 'native/common']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  const [cmd, ...args] = withoutDevFiles(hidden, [process.execPath, join(dir, 'scripts/build-native.mjs')]);
  const r = spawnSync(cmd!, args, { encoding: 'utf8' });
  return { dir, status: r.status, out: r.stdout, err: r.stderr };
}

const capabilities = (dir: string): string => spawnSync(join(dir, 'native/build/berth-unpack'), ['--capabilities'], { encoding: 'utf8' }).stdout.trim();

if (!skip) {
  const none = join(roots.root, 'none');
  // unpackLayer below runs this build (BERTH_NATIVE_DIR is read at the first use)
  process.env.BERTH_NATIVE_DIR = join(none, 'native/build');

  test('without zlib and OpenSSL headers: the build succeeds with one quiet line; berth-unpack inflates and hashes nothing', async () => {
    const r = build('none', ['zlib', 'openssl']);
    assert.is(r.status, 0, r.err);
    assert.is(r.err, '', 'nothing on stderr');
    assert.match(r.out, /^berth: native\/unpack built without -lz -lcrypto \(no headers\): [^\n]*\n$/);
    assert.not.match(r.out, /warn/i);
    assert.is(capabilities(r.dir), '');
    assert.equal([...(await unpackCapabilities())], [], 'unpackLayer asks this build');
  });

  test('without zlib headers only: berth-unpack hashes but does not inflate (--gunzip refused with its usage)', () => {
    const r = build('sha256', ['zlib']);
    assert.is(r.status, 0, r.err);
    assert.is(r.err, '');
    assert.is(capabilities(r.dir), 'sha256');
    const dest = join(r.dir, 'layer');
    mkdirSync(dest);
    const fd = openSync(dest, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      const tar = tarBuffer([{ name: 'f', type: 'file', mode: 0o644, data: 'x' }]);
      const run = (args: string[], input: Buffer) => spawnSync(join(r.dir, 'native/build/berth-unpack'), args, { input, stdio: ['pipe', 'pipe', 'pipe', fd], encoding: 'utf8' });
      const gz = run(['--gunzip'], gzipSync(tar));
      assert.is(gz.status, 2);
      assert.match(gz.stderr, /usage: .*\(this build: sha256\)/);
      assert.match(run([], tar).stdout, /^ok 1 sha256:[0-9a-f]{64} /);
    } finally {
      closeSync(fd);
    }
  });

  test('zlib headers installed since: the next build builds berth-unpack again, with zlib', () => {
    const dir = join(roots.root, 'sha256');
    const r = spawnSync(process.execPath, [join(dir, 'scripts/build-native.mjs')], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    if (spawnSync('cc', ['-x', 'c', '-', '-o', '/dev/null', '-lz'], { input: '#include <zlib.h>\nint main(void) { return 0; }\n' }).status !== 0) {
      console.log('# zlib headers not installed here: not checked that berth-unpack gains gunzip');
      return;
    }
    assert.match(capabilities(dir), /^gunzip\b/);
  });

  unpackChecks(test, join(roots.root, 'layers'), 'the build without headers');
}

test.after(() => roots.cleanup());
test.run();
