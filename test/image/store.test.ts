// The local store: holds (reference counts), rm, prune, save/load round trips (also
// archives written by skopeo), import of a rootfs tarball, commit of an overlay upper dir.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { openImageStore, type ImageStore } from '../../src/image/store.js';
import { holdImage, releaseImage } from '../../src/image/hold.js';
import { removeImage } from '../../src/image/remove.js';
import { pruneImages } from '../../src/image/prune.js';
import { listImages, resolveLocalImage } from '../../src/image/list.js';
import { saveArchive } from '../../src/image/archive-save.js';
import { loadArchive } from '../../src/image/archive-load.js';
import { importRootfs } from '../../src/image/import.js';
import { commitLayer, upperDirTar } from '../../src/image/commit.js';
import { parseChanges } from '../../src/image/changes.js';
import { pushImage } from '../../src/image/push.js';
import { LayerOps } from '../../src/image/layer-ops.js';
import { readTar } from '../../src/image/tar-reader.js';
import { tagImage } from '../../src/image/tag.js';
import { makeTestRoots, skipUnlessKernel, findLeaks } from '../helpers/kernel.js';
import { startRegistry, isolatedRegistryConfig, type RunningRegistry } from '../helpers/registry.js';
import { buildMultiLayer } from './fixtures.js';

const skip = skipUnlessKernel('image store (rm, prune, holds, save/load, import, commit)');
const roots = makeTestRoots('image-store');
let n = 0;
const fresh = (): { s: ImageStore; dir: string } => {
  const dir = join(roots.root, `s${n++}`);
  mkdirSync(dir, { recursive: true });
  return { s: openImageStore(join(dir, 'images')), dir };
};
const errCode = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof BerthError ? e.code : String(e)),
  );

if (!skip) {
  test('holds keep an image through rm and prune; released, prune frees layers and blobs', async () => {
    const { s } = fresh();
    const img = await buildMultiLayer(s, 'fx/held:1');
    await holdImage(s, img.id, 'ctr1');
    await holdImage(s, img.id, 'ctr1');
    assert.is(await errCode(removeImage(s, 'fx/held:1')), 'image/in-use');
    const forced = await removeImage(s, 'fx/held:1', { force: true });
    assert.equal(forced, { untagged: ['fx/held:1'], deleted: [] });
    assert.equal((await pruneImages(s, { all: true })).deletedImages, []);
    assert.ok(existsSync(img.layerDirs[0]!));
    await releaseImage(s, img.id, 'ctr1');
    await releaseImage(s, img.id, 'ctr1');
    const pruned = await pruneImages(s);
    assert.equal(pruned.deletedImages, [img.id]);
    assert.is(pruned.deletedLayers, 3);
    assert.ok(pruned.reclaimedBytes > 0);
    assert.equal(readdirSync(join(s.root, 'layers')), []);
    assert.equal(readdirSync(join(s.root, 'blobs/sha256')), []);
  });

  test('rm: a second name only untags; by id with several names needs force; layers shared by two images survive', async () => {
    const { s } = fresh();
    const img = await buildMultiLayer(s, 'fx/a:1');
    await tagImage(s, 'fx/a:1', 'fx/b:2');
    assert.equal(await removeImage(s, 'fx/b:2'), { untagged: ['fx/b:2'], deleted: [] });
    await tagImage(s, 'fx/a:1', 'fx/b:2');
    assert.is(await errCode(removeImage(s, img.id.slice(7, 19))), 'image/conflict');
    const r = await removeImage(s, img.id.slice(7, 19), { force: true });
    assert.equal([...r.untagged].sort(), ['fx/a:1', 'fx/b:2']);
    assert.equal(r.deleted, [img.id]);
    assert.is(await errCode(removeImage(s, 'fx/a:1')), 'image/not-found');
    assert.is(await errCode(resolveLocalImage(s, 'nope:1')), 'image/not-found');
  });

  test('save -> load round trip keeps ids, names and layer contents', async () => {
    const a = fresh();
    const img = await buildMultiLayer(a.s, 'fx/saved:1');
    const file = join(a.dir, 'out.tar');
    await saveArchive(a.s, ['fx/saved:1'], file);
    const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
    assert.ok(names.includes('manifest.json') && names.includes('index.json') && names.includes('oci-layout'));
    const b = fresh();
    const loaded = await loadArchive(b.s, file);
    assert.is(loaded.length, 1);
    assert.is(loaded[0]!.id, img.id);
    assert.equal(loaded[0]!.repoTags, ['docker.io/fx/saved:1']);
    assert.is(readFileSync(join(loaded[0]!.layerDirs[0]!, 'usr/bin/owned'), 'utf8'), 'www\n');
    assert.is(readdirSync(b.s.tmp).filter((f) => !f.startsWith('lease-')).length, 0);
  });

  test('load archives written by skopeo (docker-archive and oci-archive)', async () => {
    if (!existsSync('/usr/bin/skopeo')) {
      console.log('# skip skopeo archives: skopeo not installed');
      return;
    }
    let reg: RunningRegistry | undefined;
    try {
      reg = await startRegistry();
      const a = fresh();
      const img = await buildMultiLayer(a.s, `${reg.host}/fx/sk:1`);
      await pushImage(a.s, `${reg.host}/fx/sk:1`, { registryConfig: isolatedRegistryConfig(a.dir) });
      for (const kind of ['docker-archive', 'oci-archive']) {
        const file = join(a.dir, `${kind}.tar`);
        const dest = kind === 'docker-archive' ? `${kind}:${file}:fx/sk:from-skopeo` : `${kind}:${file}:fx/sk:from-skopeo`;
        execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${reg.host}/fx/sk:1`, dest], { stdio: 'pipe' });
        const b = fresh();
        const loaded = await loadArchive(b.s, file);
        assert.is(loaded.length, 1, kind);
        assert.equal(loaded[0]!.diffIds, img.diffIds, kind);
        assert.ok(lstatSync(join(loaded[0]!.layerDirs[1]!, 'etc/a')).isCharacterDevice(), `${kind}: whiteout`);
      }
    } finally {
      await reg?.stop();
    }
  });

  test('a hostile archive is refused with the entry named', async () => {
    const { s, dir } = fresh();
    const file = join(dir, 'evil.tar');
    const { tarBuffer } = await import('../../src/image/tar-writer.js');
    writeFileSync(file, tarBuffer([{ name: '../../escape.json', type: 'file', mode: 0o644, data: '{}' }]));
    const err = await loadArchive(s, file).catch((e: unknown) => e);
    assert.is((err as BerthError).code, 'image/unsafe-layer');
    assert.match((err as BerthError).message, /escape\.json/);
    assert.is(await errCode(loadArchive(s, join(dir, 'missing.tar'))), 'image/not-found');
  });

  test('import of a gzip rootfs tarball, with --change', async () => {
    const { s, dir } = fresh();
    const rootfs = join(dir, 'rootfs');
    mkdirSync(join(rootfs, 'app'), { recursive: true });
    writeFileSync(join(rootfs, 'app/hello.txt'), 'hello\n');
    execFileSync('tar', ['-czf', join(dir, 'rootfs.tgz'), '-C', rootfs, '.']);
    const img = await importRootfs(s, join(dir, 'rootfs.tgz'), { ref: 'fx/imported:1', changes: parseChanges(['CMD ["cat", "/app/hello.txt"]', 'ENV A=1 B=two', 'EXPOSE 80', 'WORKDIR /app']) });
    assert.equal(img.config, { Cmd: ['cat', '/app/hello.txt'], Env: ['A=1', 'B=two'], ExposedPorts: { '80/tcp': {} }, WorkingDir: '/app' });
    assert.is(readFileSync(join(img.layerDirs[0]!, 'app/hello.txt'), 'utf8'), 'hello\n');
    assert.equal(
      (await listImages(s)).map((i) => i.repoTags),
      [['docker.io/fx/imported:1']],
    );
  });

  test('commit: upper dir -> new top layer; overlay whiteouts and opaque dirs become .wh. entries; init files excluded', async () => {
    const { s, dir } = fresh();
    const parent = await buildMultiLayer(s, 'fx/base:1');
    const upper = join(dir, 'upper');
    mkdirSync(join(upper, 'etc'), { recursive: true });
    mkdirSync(join(upper, 'dir'), { recursive: true });
    writeFileSync(join(upper, 'etc/new.conf'), 'new\n');
    writeFileSync(join(upper, 'etc/hostname'), 'ctr\n');
    writeFileSync(join(upper, 'etc/hosts'), '127.0.0.1 ctr\n');
    const ops = new LayerOps();
    try {
      await ops.mknod(join(upper, 'etc/b'), 0o20000, 0, 0);
      await ops.setXattr(join(upper, 'dir'), 'trusted.overlay.opaque', Buffer.from('y'));
      writeFileSync(join(upper, 'dir/z'), 'z\n');
      const names: string[] = [];
      for await (const e of readTar(upperDirTar(upper, ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf'], ops))) names.push(e.name);
      assert.equal(names, ['dir/', 'dir/.wh..wh..opq', 'dir/z', 'etc/', 'etc/.wh.b', 'etc/new.conf']);
    } finally {
      ops.close();
    }
    const img = await commitLayer(s, { upperDir: upper, parent, ref: 'fx/committed:1', changes: { Cmd: ['echo', 'hi'] }, comment: 'test' });
    assert.is(img.layerDirs.length, 4);
    assert.equal(img.config.Cmd, ['echo', 'hi']);
    assert.equal(img.config.Labels, { fixture: 'multi' });
    const top = img.layerDirs[0]!;
    assert.is(readFileSync(join(top, 'etc/new.conf'), 'utf8'), 'new\n');
    assert.ok(!existsSync(join(top, 'etc/hostname')));
    assert.ok(lstatSync(join(top, 'etc/b')).isCharacterDevice());
    assert.equal(img.layerDirs.slice(1), parent.layerDirs);
  });

  test('the unpacked layers stack in overlayfs as in docker (whiteout and opaque dir applied)', async () => {
    const { s, dir } = fresh();
    const img = await buildMultiLayer(s, 'fx/overlay:1');
    const merged = join(dir, 'merged');
    const upper = join(dir, 'upper');
    const work = join(dir, 'work');
    for (const d of [merged, upper, work]) mkdirSync(d);
    try {
      execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${img.layerDirs.join(':')},upperdir=${upper},workdir=${work}`, merged]);
    } catch (err) {
      console.log(`# skip overlay stacking: cannot mount overlayfs here (${String(err).split('\n')[0]})`);
      return;
    }
    try {
      assert.equal(readdirSync(join(merged, 'etc')), ['b']);
      assert.equal(readdirSync(join(merged, 'dir')), ['y']);
      assert.is(lstatSync(join(merged, 'usr/bin/suid')).mode & 0o7777, 0o4755);
      assert.is(readFileSync(join(merged, 'usr/rel'), 'utf8'), 'b\n');
    } finally {
      execFileSync('umount', [merged]);
    }
  });

  test.after(() => {
    const leaks = findLeaks(roots.root);
    roots.cleanup();
    if (leaks.length) throw new Error(`leaked: ${leaks.join(', ')}`);
  });
}
test.run();
