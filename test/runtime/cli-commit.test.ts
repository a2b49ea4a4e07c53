// `berth container commit` end to end through the CLI binary, as root, private roots: a
// container from a busybox image pulled from the test registry writes a file, is committed,
// and a new container from the committed image sees the file; the init layer's files are not
// in the new layer. Also: `container run IMAGE` holds the image while the container exists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listHolds } from '../../src/image/hold.js';
import { inspectImage, resolveLocalImage } from '../../src/image/list.js';
import { openImageStore } from '../../src/image/store.js';
import { findLeaks, makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { startTestRegistry, type TestRegistry } from '../helpers/registry.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const need = (): string | undefined =>
  !existsSync(join(repo, 'native', 'build', 'berth-shim')) ? 'shim not built' : spawnSync('sh', ['-c', 'command -v docker-registry']).status !== 0 ? 'no docker-registry' : undefined;
if (!skipUnlessKernel('berth container commit', need)) {
  const roots = makeTestRoots('commit');
  let reg: TestRegistry | undefined;
  let env: NodeJS.ProcessEnv = {};
  const berth = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [join(repo, 'bin', 'berth'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const c1 = `bth${roots.tag}a`;
  const c2 = `bth${roots.tag}b`;
  const c3 = `bth${roots.tag}c`;
  const ref = `bth${roots.tag}:committed`;
  const store = openImageStore(join(roots.root, 'images'));
  test.before(async () => {
    reg = await startTestRegistry();
    env = { ...process.env, BERTH_ROOT: roots.root, BERTH_RUN: roots.run, ...reg.mirrorEnv };
  });
  test.after(async () => {
    for (const c of [c1, c2, c3]) berth('container', 'rm', '-f', c);
    await reg?.stop();
    roots.cleanup();
  });

  test('run IMAGE holds the image while the container exists', async () => {
    const r = berth('container', 'run', '--name', c1, 'busybox:1.36', 'sh', '-c', 'echo hello > /data.txt; echo changed > /etc/hostname; mkdir -p /srv && echo x > /srv/y');
    assert.is(r.code, 0, r.err);
    const bb = await resolveLocalImage(store, 'busybox:1.36');
    assert.equal(await listHolds(store, bb.id), [c1]);
  });

  test('commit: the rw layer becomes a new image with --change, -m, -a; init files left out', async () => {
    const r = berth('container', 'commit', '-c', 'ENV COMMITTED=1', '-m', 'first commit', '-a', 'Berth Test <t@example.com>', c1, ref);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^sha256:[0-9a-f]{64}\n$/);
    const img = await resolveLocalImage(store, ref);
    const bb = await resolveLocalImage(store, 'busybox:1.36');
    assert.is(img.diffIds.length, bb.diffIds.length + 1);
    const top = img.layerDirs[0]!;
    assert.is(readFileSync(join(top, 'data.txt'), 'utf8'), 'hello\n');
    assert.ok(existsSync(join(top, 'srv', 'y')));
    assert.not.ok(existsSync(join(top, 'etc', 'hostname')), 'the init layer file /etc/hostname is not committed');
    assert.ok((img.config.Env ?? []).includes('COMMITTED=1'));
    const raw = (await inspectImage(store, ref)).raw as { author?: string; history?: { comment?: string }[] };
    assert.is(raw.author, 'Berth Test <t@example.com>');
    assert.is(raw.history?.at(-1)?.comment, 'first commit');
  });

  test('a new container from the committed image sees the file; its own hostname', () => {
    const r = berth('container', 'run', '--rm', '--hostname', 'fresh', ref, 'sh', '-c', 'cat /data.txt /srv/y /etc/hostname; echo $COMMITTED');
    assert.is(r.out, 'hello\nx\nfresh\n1\n', r.err);
  });

  test('commit of a running container pauses it and resumes it', async () => {
    assert.is(berth('container', 'run', '-d', '--name', c2, ref, 'sh', '-c', 'echo two > /two; sleep 30').code, 0);
    await poll('/two written in the container', () => berth('container', 'exec', c2, 'cat', '/two').out, 5000);
    const r = berth('container', 'commit', c2, `${ref}2`);
    assert.is(r.code, 0, r.err);
    assert.match(berth('container', 'inspect', c2).out, /"status": "running"/);
    assert.is(berth('container', 'run', '--rm', `${ref}2`, 'cat', '/two', '/data.txt').out, 'two\nhello\n');
  });

  test('a --rootfs container has no parent image: a clear error, exit 1, no stack', () => {
    const rootfs = join(roots.root, '..', 'busybox');
    execFileSync(join(repo, 'fixtures', 'rootfs', 'make-busybox-rootfs.sh'), [rootfs]);
    assert.is(berth('container', 'run', '--name', c3, '--rootfs', rootfs, 'true').code, 0);
    const r = berth('container', 'commit', c3, `${ref}3`);
    assert.is(r.code, 1);
    assert.match(r.err, /plain rootfs dir/);
    assert.match(r.err, /hint: import the dir as an image/);
    assert.not.match(r.err, /at .*\.js/);
    assert.is(berth('container', 'commit', 'bth-nosuch').code, 1);
  });

  test('container rm releases the hold', async () => {
    assert.is(berth('container', 'rm', c1).code, 0);
    const bb = await resolveLocalImage(store, 'busybox:1.36');
    assert.equal(await listHolds(store, bb.id), []);
  });

  test('nothing of berth is left on the host', () => {
    for (const c of [c2, c3]) berth('container', 'rm', '-f', c);
    assert.equal(findLeaks(roots.tag), []);
    assert.equal(findLeaks(roots.root), []);
  });
  test.run();
}
