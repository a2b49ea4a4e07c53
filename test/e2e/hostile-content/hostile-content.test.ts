// Hostile images, containers and build contexts (issue #12): each test plants a symlink
// that points at a host canary and checks that berth neither writes to nor reads from it,
// and that it answers with a one-line error (no stack trace) or the safe behaviour.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { tarBuffer } from '../../../src/image/tar-writer.js';
import { makeStack, stopRegistry, type Result, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e hostile-content')) {
  let s: Stack;
  let canary: string;
  test.before(async () => {
    s = await makeStack('hostile-content');
    canary = join(s.dir, '..', `canary-${s.roots.tag}`);
    mkdirSync(canary);
    writeFileSync(join(canary, 'secret'), 'host secret\n');
    writeFileSync(join(canary, 'passwd'), 'evil:x:4242:4242::/:/bin/sh\n');
    s.env.CANARY_DIR = canary;
    writeFileSync(join(s.dir, 'cp', 'evil.tar'), tarBuffer([
      { name: 'd/', type: 'directory', mode: 0o755 },
      { name: 'd/x', type: 'symlink', mode: 0o777, linkname: canary },
      { name: 'd/x/file', type: 'file', mode: 0o644, data: 'pwned\n', size: 6 },
    ]));
    mkdirSync(join(s.dir, 'ctxlink'));
    symlinkSync(canary, join(s.dir, 'ctxlink', 'leak'));
    mkdirSync(join(s.dir, 'destlink', 'a'), { recursive: true });
    mkdirSync(join(s.dir, 'destlink', 'b', 'x'), { recursive: true });
    symlinkSync(canary, join(s.dir, 'destlink', 'a', 'x'));
    writeFileSync(join(s.dir, 'destlink', 'b', 'x', 'file'), 'pwned\n');
  });
  // each test starts from a clean canary (a failed one may have written into it)
  test.before.each(() => {
    for (const n of readdirSync(canary)) if (n !== 'passwd' && n !== 'secret') rmSync(join(canary, n), { recursive: true, force: true });
  });
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  /** The canary dir holds exactly what the test put there. */
  const canaryUntouched = (): void => assert.equal(readdirSync(canary).sort(), ['passwd', 'secret']);
  /** A refusal: non-zero exit, a `berth: ` line naming `what`, no internal error or stack. */
  const refused = (r: Result, what: RegExp): void => {
    assert.is.not(r.code, 0, `expected a refusal, got exit 0:\n${r.out}\n${r.err}`);
    assert.match(r.err, what, r.err);
    assert.not.match(r.err, /internal error|\n\s+at /, r.err);
  };

  test('cp: a container tar entry behind a symlink to the host is refused', async () => {
    assert.is((await s.berth(['up', '-d', 'cp'], { timeoutMs: 180_000 })).code, 0);
    const out = join(s.dir, 'cp-out');
    const r = await s.berth(['cp', 'cp:/d', out]);
    canaryUntouched();
    refused(r, /berth: cp cp:\/d: tar entry "d\/x\/file" would pass through the symlink "cp-out\/x"; refused/);
  });

  test('volume: an image VOLUME that is a symlink to a host dir is resolved inside the image', async () => {
    await s.berth(['up', '-d', 'vol'], { timeoutMs: 180_000 });
    const data = join(s.roots.root, 'volumes');
    const files = existsSync(data) ? readdirSync(data).flatMap((v) => (existsSync(join(data, v, '_data')) ? readdirSync(join(data, v, '_data')) : [])) : [];
    assert.not.ok(files.includes('secret'), `a host file was copied into a volume: ${files.join(', ')}`);
    canaryUntouched();
  });

  test('user: /etc/passwd -> a host file is read inside the image, not on the host', async () => {
    const r = await s.berth(['up', 'user'], { timeoutMs: 180_000 });
    assert.not.match(r.out, /4242/, 'the container ran as the uid from the host file');
    refused(r, /berth: .*user "?evil"? not found/);
  });

  test('user: /etc/group -> /dev/zero does not hang and is not read', async () => {
    const r = await s.berth(['up', 'zero'], { timeoutMs: 90_000 });
    refused(r, /berth: .*group "?wheel"?/);
  });

  test('build: a context symlink to a host dir resolves inside the context', async () => {
    const r = await s.berth(['build', 'ctxlink'], { timeoutMs: 180_000 });
    refused(r, /berth: .*"leak\/" not found in the build context/);
    canaryUntouched();
  });

  test('build: a COPY destination is never written through a symlink an earlier source planted', async () => {
    const r = await s.berth(['build', 'destlink'], { timeoutMs: 180_000 });
    canaryUntouched();
    refused(r, /berth: .*symlink.*refused/);
    assert.not.ok(existsSync(join(canary, 'file')));
    assert.is(readFileSync(join(canary, 'secret'), 'utf8'), 'host secret\n');
  });

  test.run();
}
