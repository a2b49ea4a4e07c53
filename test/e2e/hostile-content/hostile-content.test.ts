// Hostile images, containers and build contexts (issue #12): each test plants a symlink
// that points at a host canary and checks that berth neither writes to nor reads from it,
// and that it answers with a one-line error (no stack trace) or the safe behaviour.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
    mkdirSync(join(canary, 'sub'));
    writeFileSync(join(canary, 'sub', 'secret'), 'host secret\n');
    s.env.CANARY_DIR = canary;
    writeFileSync(
      join(s.dir, 'cp', 'evil.tar'),
      tarBuffer([
        { name: 'd/', type: 'directory', mode: 0o755 },
        { name: 'd/x', type: 'symlink', mode: 0o777, linkname: canary },
        { name: 'd/x/file', type: 'file', mode: 0o644, data: 'pwned\n', size: 6 },
      ]),
    );
    mkdirSync(join(s.dir, 'ctxlink'));
    symlinkSync(canary, join(s.dir, 'ctxlink', 'leak'));
    mkdirSync(join(s.dir, 'destlink', 'a'), { recursive: true });
    mkdirSync(join(s.dir, 'destlink', 'b', 'x'), { recursive: true });
    symlinkSync(canary, join(s.dir, 'destlink', 'a', 'x'));
    writeFileSync(join(s.dir, 'destlink', 'b', 'x', 'file'), 'pwned\n');
  });
  // each test starts from a clean canary (a failed one may have written into it)
  test.before.each(() => {
    for (const n of readdirSync(canary)) if (!['passwd', 'secret', 'sub'].includes(n)) rmSync(join(canary, n), { recursive: true, force: true });
  });
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  /** The canary dir holds exactly what the test put there. */
  const canaryUntouched = (): void => {
    assert.equal(readdirSync(canary).sort(), ['passwd', 'secret', 'sub']);
    assert.equal(readdirSync(join(canary, 'sub')), ['secret']);
  };
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

  test('volume: an image VOLUME below a symlink to a host dir is resolved inside the image', async () => {
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

  test("cp keeps docker cp's rules: into a dir, as a new name, SRC/., -a, -L, - both ways", async () => {
    assert.is((await s.berth(['up', '-d', 'plain'], { timeoutMs: 180_000 })).code, 0);
    const sh = async (script: string): Promise<Result> => s.berth(['exec', '-T', 'plain', 'sh', '-c', script]);
    assert.is((await sh('mkdir -p /srv/d && echo A > /srv/d/a && ln -s a /srv/d/l && chown 123:456 /srv/d/a && ln -s /srv/d/a /srv/link')).code, 0);
    const out = join(s.dir, 'sem');
    mkdirSync(out);
    const cp = async (...args: string[]): Promise<void> => {
      const r = await s.berth(['cp', ...args]);
      assert.is(r.code, 0, `cp ${args.join(' ')}: ${r.err}`);
    };
    await cp('plain:/srv/d', join(out, 'new'));
    assert.is(readFileSync(join(out, 'new/a'), 'utf8'), 'A\n', 'a missing DEST is the copy itself');
    assert.is(readlinkSync(join(out, 'new/l')), 'a', 'symlinks stay symlinks');
    assert.is(statSync(join(out, 'new/a')).uid, 0, 'without -a files belong to the caller');
    await cp('plain:/srv/d', out);
    assert.ok(existsSync(join(out, 'd/a')), 'an existing dir DEST receives SRC');
    await cp('plain:/srv/d/.', join(out, 'new'));
    assert.not.ok(existsSync(join(out, 'new/d')), 'SRC/. copies the contents');
    await cp('-a', 'plain:/srv/d/a', join(out, 'owned'));
    assert.is(statSync(join(out, 'owned')).uid, 123, '-a keeps the uid');
    await cp('plain:/srv/link', join(out, 'link'));
    assert.ok(lstatSync(join(out, 'link')).isSymbolicLink(), 'a symlink SRC is copied as a link');
    await cp('-L', 'plain:/srv/link', join(out, 'followed'));
    assert.is(readFileSync(join(out, 'followed'), 'utf8'), 'A\n', '-L follows it');
    const tar = await s.berth(['cp', 'plain:/srv/d', '-']);
    assert.is(tar.code, 0, tar.err);
    assert.ok(tar.out.includes('d/a'), 'DEST - writes a tar to stdout');
    const input = tarBuffer([{ name: 'from-stdin', type: 'file', mode: 0o644, data: 'S\n', size: 2 }]).toString('latin1');
    assert.is((await s.berth(['cp', '-', 'plain:/srv'], { stdin: input })).code, 0);
    assert.is((await sh('cat /srv/from-stdin')).out, 'S\n', 'SRC - reads a tar from stdin');
    writeFileSync(join(out, 'up.txt'), 'U\n');
    await cp(join(out, 'up.txt'), 'plain:/srv/d/');
    assert.is((await sh('cat /srv/d/up.txt')).out, 'U\n', 'host -> container');
    const bad = await s.berth(['cp', 'plain:/srv/d', join(out, 'owned')]);
    refused(bad, /berth: cp plain:\/srv\/d: cannot copy a directory to the file/);
  });

  test.run();
}
