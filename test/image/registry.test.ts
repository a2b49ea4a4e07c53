// Pull and push against real registries on loopback (docker-registry, plain and htpasswd)
// and a fake registry for token auth, redirects, corrupt blobs and a stalled download.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { openImageStore, type ImageStore } from '../../src/image/store.js';
import { pullImage } from '../../src/image/pull.js';
import { pushImage } from '../../src/image/push.js';
import { tagImage } from '../../src/image/tag.js';
import { login, logout } from '../../src/image/registry/login.js';
import { MT } from '../../src/image/manifest.js';
import { sha256Of } from '../../src/image/digest.js';
import { makeTestRoots, skipUnlessKernel, findLeaks } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { startRegistry, startTestRegistry, isolatedRegistryConfig, freePort, type RunningRegistry } from '../helpers/registry.js';
import { startFakeRegistry } from './fake-registry.js';
import { buildMultiLayer, imageBlobs } from './fixtures.js';
import type { RegistryConfig } from '../../src/image/types.js';

const skip = skipUnlessKernel('image registry pull/push', () => (existsSync('/usr/bin/docker-registry') ? undefined : 'docker-registry not installed'));
const roots = makeTestRoots('image-reg');
let n = 0;
const fresh = (): { s: ImageStore; dir: string; cfg: (x?: Partial<RegistryConfig>) => RegistryConfig } => {
  const dir = join(roots.root, `s${n++}`);
  mkdirSync(dir, { recursive: true });
  return { s: openImageStore(join(dir, 'images')), dir, cfg: (x = {}) => isolatedRegistryConfig(dir, x) };
};
const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof BerthError ? err.code : `non-berth: ${String(err)}`;
  }
};
const started: number[] = [];
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const storeIsClean = (s: ImageStore): void => {
  assert.equal(
    readdirSync(s.tmp).filter((f) => !f.startsWith('lease-')),
    [],
    'tmp is empty',
  );
};

if (!skip) {
  let plain: RunningRegistry;
  let auth: RunningRegistry;
  test.before(async () => {
    plain = await startRegistry();
    auth = await startRegistry({ htpasswd: { user: 'alice', password: 's3cret' } });
  });
  test.after(async () => {
    await plain?.stop();
    await auth?.stop();
    // only the registries this file started (other suites may run their own meanwhile)
    const leaks = [...started, plain?.pid, auth?.pid].filter((pid): pid is number => pid !== undefined && alive(pid));
    const other = findLeaks(roots.root);
    roots.cleanup();
    if (leaks.length || other.length) throw new Error(`leaked: ${[...leaks.map((p) => `registry pid ${p}`), ...other].join(', ')}`);
  });

  test('push a multi-layer image (gzip) and pull it back: same digests, whiteouts, opaque dir, suid, hard link, devices', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, `${plain.host}/fx/multi:1`);
    const pushed = await pushImage(a.s, `${plain.host}/fx/multi:1`, { registryConfig: a.cfg() });
    const b = fresh();
    const events: string[] = [];
    const img = await pullImage(b.s, `${plain.host}/fx/multi:1`, { registryConfig: b.cfg(), onProgress: (e) => events.push(e.type) });
    assert.is(img.id, built.id);
    assert.is(img.digest, pushed.digest);
    assert.equal(img.diffIds, built.diffIds);
    assert.is(img.layerDirs.length, 3);
    const [top, mid, bottom] = img.layerDirs as [string, string, string];
    assert.is(readFileSync(join(bottom, 'etc/a'), 'utf8'), 'a\n');
    const wh = lstatSync(join(mid, 'etc/a'));
    assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout is a 0:0 char device');
    const suid = lstatSync(join(top, 'usr/bin/suid'));
    assert.is(suid.mode & 0o7777, 0o4755);
    assert.is(lstatSync(join(top, 'usr/bin/suid-link')).ino, suid.ino);
    assert.is(lstatSync(join(top, 'usr/bin/owned')).uid, 33);
    assert.ok(lstatSync(join(top, 'usr/fifo')).isFIFO());
    assert.ok(lstatSync(join(top, 'usr/null')).isCharacterDevice());
    assert.is(lstatSync(join(top, 'usr/bin/owned')).mtimeMs, 1600000000 * 1000);
    assert.ok(events.includes('layer-progress') && events.at(-1) === 'done');
    storeIsClean(b.s);
  });

  test('zstd and uncompressed layers', async () => {
    for (const c of ['zstd', 'none'] as const) {
      const a = fresh();
      const built = await buildMultiLayer(a.s, `${plain.host}/fx/${c}:1`, c);
      await pushImage(a.s, `${plain.host}/fx/${c}:1`, { registryConfig: a.cfg() });
      const b = fresh();
      const img = await pullImage(b.s, `${plain.host}/fx/${c}:1`, { registryConfig: b.cfg() });
      assert.is(img.id, built.id);
      assert.is(readFileSync(join(img.layerDirs[0]!, 'usr/bin/owned'), 'utf8'), 'www\n');
    }
  });

  test('basic auth: refused without credentials, works with ~/.docker/config.json and with berth login', async () => {
    const a = fresh();
    await buildMultiLayer(a.s, `${auth.host}/fx/private:1`);
    assert.is(await code(pushImage(a.s, `${auth.host}/fx/private:1`, { registryConfig: a.cfg() })), 'image/unauthorized');
    const dockerCfg = join(a.dir, 'docker-config.json');
    writeFileSync(dockerCfg, JSON.stringify({ auths: { [auth.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    await pushImage(a.s, `${auth.host}/fx/private:1`, { registryConfig: a.cfg({ authFiles: [dockerCfg] }) });
    const b = fresh();
    assert.is(await code(pullImage(b.s, `${auth.host}/fx/private:1`, { registryConfig: b.cfg() })), 'image/unauthorized');
    assert.is(await code(login(auth.host, 'alice', 'wrong', b.cfg())), 'image/unauthorized');
    await login(auth.host, 'alice', 's3cret', b.cfg());
    assert.is(lstatSync(b.cfg().loginFile).mode & 0o777, 0o600);
    const img = await pullImage(b.s, `${auth.host}/fx/private:1`, { registryConfig: b.cfg() });
    assert.is(img.layerDirs.length, 3);
    assert.is(await logout(auth.host, b.cfg()), true);
    assert.is(await logout(auth.host, b.cfg()), false);
    storeIsClean(b.s);
  });

  test('Bearer token auth (realm/service/scope) with credentials, blobs via redirects', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/token:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const fake = await startFakeRegistry({ token: { user: 'bob', password: 'pw' }, redirectBlobs: true });
    try {
      for (const b of blobs) fake.addBlob(b);
      fake.addManifest('team/app', 'v1', manifest, MT.ociManifest);
      const b = fresh();
      assert.is(await code(pullImage(b.s, `${fake.host}/team/app:v1`, { registryConfig: b.cfg() })), 'image/unauthorized');
      const creds = join(b.dir, 'docker.json');
      writeFileSync(creds, JSON.stringify({ auths: { [fake.host]: { username: 'bob', password: 'pw' } } }));
      const img = await pullImage(b.s, `${fake.host}/team/app:v1`, { registryConfig: b.cfg({ authFiles: [creds] }) });
      assert.is(img.id, built.id);
      assert.ok(
        fake.log.some((l) => l.includes('/token?service=fake-registry&scope=repository%3Ateam%2Fapp%3Apull')),
        fake.log.join('\n'),
      );
      assert.ok(
        fake.log.some((l) => l.startsWith('GET /storage/')),
        'redirect followed',
      );
    } finally {
      await fake.stop();
    }
  });

  test('a corrupt layer is refused and nothing of it stays in the store', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/bad:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const layerDigests = blobs.slice(1).map((b) => sha256Of(b));
    const fake = await startFakeRegistry({ corruptBlob: layerDigests[1] });
    try {
      for (const b of blobs) fake.addBlob(b);
      fake.addManifest('fx/bad', '1', manifest, MT.ociManifest);
      const b = fresh();
      const err = await pullImage(b.s, `${fake.host}/fx/bad:1`, { registryConfig: b.cfg(), concurrency: 1 }).catch((e: unknown) => e);
      assert.instance(err, BerthError);
      assert.is((err as BerthError).code, 'image/digest-mismatch', String(err));
      assert.ok(!existsSync(join(b.s.root, 'blobs/sha256', layerDigests[1]!.slice(7))), 'corrupt blob not kept');
      assert.equal(readdirSync(join(b.s.root, 'images')), [], 'no image record');
      const built2 = new Set(built.diffIds.map((d) => d.slice(7)));
      for (const l of readdirSync(join(b.s.root, 'layers'))) assert.ok(built2.has(l));
      assert.ok(!existsSync(join(b.s.root, 'layers', built.diffIds[1]!.slice(7))), 'corrupt layer not unpacked into the store');
      storeIsClean(b.s);
    } finally {
      await fake.stop();
    }
  });

  test('a layer whose tar is not the diff id its config names is refused, nothing of it kept (the hash berth-unpack takes)', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/diff:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const config = JSON.parse(blobs[0]!.toString()) as { rootfs: { diff_ids: string[] } };
    const wrong = `sha256:${'0'.repeat(64)}`;
    config.rootfs.diff_ids[1] = wrong;
    const lyingConfig = Buffer.from(JSON.stringify(config));
    const m = JSON.parse(manifest.toString()) as { config: { digest: string; size: number } };
    m.config = { ...m.config, digest: sha256Of(lyingConfig), size: lyingConfig.length };
    const fake = await startFakeRegistry();
    try {
      for (const b of [lyingConfig, ...blobs.slice(1)]) fake.addBlob(b);
      fake.addManifest('fx/diff', '1', Buffer.from(JSON.stringify(m)), MT.ociManifest);
      const b = fresh();
      const err = await pullImage(b.s, `${fake.host}/fx/diff:1`, { registryConfig: b.cfg(), concurrency: 1 }).catch((e: unknown) => e);
      assert.instance(err, BerthError);
      assert.is((err as BerthError).code, 'image/digest-mismatch', String(err));
      assert.match((err as Error).message, /diff id\): digest mismatch: expected sha256:0{64}, got sha256:/);
      assert.ok(!existsSync(join(b.s.root, 'layers', wrong.slice(7))), 'nothing unpacked under the claimed diff id');
      assert.equal(readdirSync(join(b.s.root, 'images')), [], 'no image record');
      storeIsClean(b.s);
    } finally {
      await fake.stop();
    }
  });

  test('a blob larger than its descriptor is refused while it downloads', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/big:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const layer = sha256Of(blobs[1]!);
    const fake = await startFakeRegistry({ oversizeBlob: layer });
    try {
      for (const b of blobs) fake.addBlob(b);
      fake.addManifest('fx/big', '1', manifest, MT.ociManifest);
      const b = fresh();
      const err = await pullImage(b.s, `${fake.host}/fx/big:1`, { registryConfig: b.cfg(), concurrency: 1 }).catch((e: unknown) => e);
      assert.instance(err, BerthError);
      assert.is((err as BerthError).code, 'image/size-mismatch', String(err));
      assert.match(String((err as Error).message), /larger than the \d+ bytes its descriptor declares; refused$/);
      assert.not.ok(existsSync(join(b.s.root, 'blobs/sha256', layer.slice(7))), 'nothing of it kept');
      storeIsClean(b.s);
    } finally {
      await fake.stop();
    }
  });

  // (before: image/digest-mismatch, the bytes dropped: the failed download was drained for a digest)
  test('a download cut short (connection closed mid-blob): image/layer-failed, nothing stored but what arrived; the next pull keeps a blob that matches its digest', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/cut:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const layer = sha256Of(blobs[1]!);
    const fake = await startFakeRegistry({ truncateBlob: layer });
    const b = fresh();
    try {
      for (const bl of blobs) fake.addBlob(bl);
      fake.addManifest('fx/cut', '1', manifest, MT.ociManifest);
      const err = await pullImage(b.s, `${fake.host}/fx/cut:1`, { registryConfig: b.cfg(), concurrency: 1 }).catch((e: unknown) => e);
      assert.instance(err, BerthError);
      assert.is((err as BerthError).code, 'image/layer-failed', String(err));
      assert.match((err as Error).message, new RegExp(`^image ${fake.host}/fx/cut:1 layer ${layer}: the download broke off after \\d+ bytes: `), (err as Error).message);
      assert.not.ok(existsSync(join(b.s.root, 'blobs/sha256', layer.slice(7))), 'no blob');
      assert.not.ok(existsSync(join(b.s.root, 'layers', built.diffIds[0]!.slice(7))), 'no layer');
      assert.equal(readdirSync(join(b.s.root, 'images')), [], 'no image record');
      // what arrived (however little) is kept to resume from
      assert.equal(
        readdirSync(b.s.tmp).filter((f) => !f.startsWith('lease-')),
        [`partial-${layer.slice(7)}`],
      );
    } finally {
      await fake.stop();
    }
    const good = await startFakeRegistry();
    try {
      for (const bl of blobs) good.addBlob(bl);
      good.addManifest('fx/cut', '1', manifest, MT.ociManifest);
      const img = await pullImage(b.s, `${good.host}/fx/cut:1`, { registryConfig: b.cfg(), concurrency: 1 });
      assert.is(img.id, built.id);
      for (const bl of blobs.slice(1)) assert.is(sha256Of(readFileSync(join(b.s.root, 'blobs/sha256', sha256Of(bl).slice(7)))), sha256Of(bl), 'the kept blob is the one its digest names');
      storeIsClean(b.s);
    } finally {
      await good.stop();
    }
  });

  test('a manifest whose Docker-Content-Digest does not match is refused', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/m:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const fake = await startFakeRegistry({ wrongManifestDigest: true });
    try {
      for (const b of blobs) fake.addBlob(b);
      fake.addManifest('fx/m', '1', manifest, MT.ociManifest);
      const b = fresh();
      assert.is(await code(pullImage(b.s, `${fake.host}/fx/m:1`, { registryConfig: b.cfg() })), 'image/digest-mismatch');
      assert.is(readdirSync(join(b.s.root, 'blobs/sha256')).length, 0);
    } finally {
      await fake.stop();
    }
  });

  test('multi-arch index: the host platform is chosen, --platform picks another, a missing one is a clear error', async () => {
    const a = fresh();
    const amd = await buildMultiLayer(a.s, 'fx/amd:1');
    await tagImage(a.s, 'fx/amd:1', 'fx/arm:1');
    const one = await imageBlobs(a.s, amd.id);
    const fake = await startFakeRegistry();
    try {
      for (const b of one.blobs) fake.addBlob(b);
      const mdig = fake.addManifest('fx/multi', 'amd', one.manifest, MT.ociManifest);
      // a second manifest (different bytes: an annotation) standing in for arm64
      const armManifest = Buffer.from(JSON.stringify({ ...JSON.parse(one.manifest.toString()), annotations: { arch: 'arm64' } }));
      const adig = fake.addManifest('fx/multi', 'arm', armManifest, MT.ociManifest);
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MT.ociIndex,
          manifests: [
            { mediaType: MT.ociManifest, digest: adig, size: armManifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
            { mediaType: MT.ociManifest, digest: mdig, size: one.manifest.length, platform: { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' } },
          ],
        }),
      );
      const idig = fake.addManifest('fx/multi', 'latest', index, MT.ociIndex);
      const b = fresh();
      const img = await pullImage(b.s, `${fake.host}/fx/multi`, { registryConfig: b.cfg() });
      assert.is(img.repoDigests[0], `${fake.host}/fx/multi@${idig}`);
      assert.ok(fake.log.includes(`GET /v2/fx/multi/manifests/${mdig}`), fake.log.join('\n'));
      await pullImage(b.s, `${fake.host}/fx/multi`, { registryConfig: b.cfg(), platform: { os: 'linux', architecture: 'arm64' } });
      assert.ok(fake.log.includes(`GET /v2/fx/multi/manifests/${adig}`));
      const err = await pullImage(b.s, `${fake.host}/fx/multi`, { registryConfig: b.cfg(), platform: { os: 'linux', architecture: 's390x' } }).catch((e: unknown) => e);
      assert.is((err as BerthError).code, 'image/no-matching-platform');
      assert.match((err as BerthError).message, /available: linux\/amd64, linux\/arm64\/v8|available: linux\/arm64, linux\/arm64\/v8/);
    } finally {
      await fake.stop();
    }
  });

  test('an interrupted pull (abort mid-layer) leaves no blob, layer or record; the next pull resumes with a Range request', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/stall:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const stalled = sha256Of(blobs[1]!);
    const fake = await startFakeRegistry({ stallBlob: stalled });
    const b = fresh();
    try {
      for (const bl of blobs) fake.addBlob(bl);
      fake.addManifest('fx/stall', '1', manifest, MT.ociManifest);
      const ac = new AbortController();
      // abort once the other layers are in and the stalled one's first half has arrived (no timer)
      const others = new Set(
        blobs
          .slice(1)
          .map((bl) => sha256Of(bl))
          .filter((d) => d !== stalled),
      );
      const p = pullImage(b.s, `${fake.host}/fx/stall:1`, { registryConfig: b.cfg(), signal: ac.signal, onProgress: (e) => e.type === 'layer-unpacked' && others.delete(e.digest) });
      const half = blobs[1]!.length >> 1;
      await poll(
        'the other layers stored and half the stalled blob received',
        () => others.size === 0 && readdirSync(b.s.tmp).some((f) => f.startsWith('blob-') && lstatSync(join(b.s.tmp, f)).size >= half),
      );
      ac.abort(new BerthError('cli/interrupted', 'interrupted'));
      assert.is(await code(p), 'cli/interrupted');
      assert.ok(!existsSync(join(b.s.root, 'blobs/sha256', stalled.slice(7))));
      assert.ok(!existsSync(join(b.s.root, 'layers', built.diffIds[0]!.slice(7))));
      assert.equal(readdirSync(join(b.s.root, 'images')), []);
      assert.equal(
        readdirSync(b.s.tmp).filter((f) => !f.startsWith('lease-')),
        [`partial-${stalled.slice(7)}`],
      );
      assert.is(lstatSync(join(b.s.tmp, `partial-${stalled.slice(7)}`)).size, half);
    } finally {
      await fake.stop();
    }
    const good = await startFakeRegistry();
    try {
      for (const bl of blobs) good.addBlob(bl);
      good.addManifest('fx/stall', '1', manifest, MT.ociManifest);
      let resumedFrom = -1;
      const img = await pullImage(b.s, `${good.host}/fx/stall:1`, {
        registryConfig: b.cfg(),
        onProgress: (e) => {
          if (e.type === 'layer-start' && e.digest === stalled) resumedFrom = e.resumedFrom ?? 0;
        },
      });
      assert.is(img.id, built.id);
      assert.is(resumedFrom, blobs[1]!.length >> 1);
      assert.ok(good.log.includes(`GET /v2/fx/stall/blobs/${stalled} range=bytes=${blobs[1]!.length >> 1}-`), good.log.join('\n'));
      storeIsClean(b.s);
    } finally {
      await good.stop();
    }
  });

  test('a kept partial download that does not add up is discarded and the layer fetched whole', async () => {
    const a = fresh();
    const built = await buildMultiLayer(a.s, 'fx/badpartial:1');
    const { manifest, blobs } = await imageBlobs(a.s, built.id);
    const d = sha256Of(blobs[1]!);
    const b = fresh();
    writeFileSync(join(b.s.tmp, `partial-${d.slice(7)}`), Buffer.alloc(10, 0x55));
    const fake = await startFakeRegistry();
    try {
      for (const bl of blobs) fake.addBlob(bl);
      fake.addManifest('fx/bp', '1', manifest, MT.ociManifest);
      const img = await pullImage(b.s, `${fake.host}/fx/bp:1`, { registryConfig: b.cfg() });
      assert.is(img.id, built.id);
      storeIsClean(b.s);
    } finally {
      await fake.stop();
    }
  });

  test('a hostile layer with valid digests is refused at pull, naming image, layer and entry', async () => {
    const { gzipSync } = await import('node:zlib');
    const { tarBuffer } = await import('../../src/image/tar-writer.js');
    const outside = join(roots.root, 'pull-outside');
    mkdirSync(outside, { recursive: true });
    const tar = tarBuffer([
      { name: 'link', type: 'symlink', mode: 0o777, linkname: outside },
      { name: 'link/pwned', type: 'file', mode: 0o644, data: 'x' },
    ]);
    const layer = gzipSync(tar);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256Of(tar)] } }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        config: { mediaType: MT.ociConfig, digest: sha256Of(config), size: config.length },
        layers: [{ mediaType: MT.ociLayerGzip, digest: sha256Of(layer), size: layer.length }],
      }),
    );
    const fake = await startFakeRegistry();
    try {
      fake.addBlob(layer);
      fake.addBlob(config);
      fake.addManifest('fx/evil', '1', manifest, MT.ociManifest);
      const b = fresh();
      const err = await pullImage(b.s, `${fake.host}/fx/evil:1`, { registryConfig: b.cfg() }).catch((e: unknown) => e);
      assert.is((err as BerthError).code, 'image/unsafe-layer', String(err));
      assert.match((err as BerthError).message, new RegExp(`image ${fake.host}/fx/evil:1 layer ${sha256Of(layer)}: tar entry "link/pwned" would be written through the symlink "link"`));
      assert.equal(readdirSync(outside), []);
      assert.equal(readdirSync(join(b.s.root, 'layers')), []);
      storeIsClean(b.s);
    } finally {
      await fake.stop();
    }
  });

  test('docker.io through mirrors: a dead mirror is skipped, busybox:1.36 resolves offline', async () => {
    const reg = await startTestRegistry();
    started.push(reg.pid);
    try {
      const b = fresh();
      const dead = `http://127.0.0.1:${await freePort()}`;
      const img = await pullImage(b.s, 'busybox:1.36', { registryConfig: b.cfg({ mirrors: [dead, reg.url] }) });
      assert.equal(img.config.Cmd, ['sh']);
      assert.ok(img.repoTags.includes('docker.io/library/busybox:1.36'));
      assert.is(lstatSync(join(img.layerDirs[0]!, 'bin/busybox')).mode & 0o777, 0o755);
      assert.ok(lstatSync(join(img.layerDirs[0]!, 'bin/sh')).isSymbolicLink());
      assert.ok(existsSync(join(img.layerDirs[0]!, 'var/www')));
      assert.is(await code(pullImage(b.s, 'busybox:0.0-nope', { registryConfig: b.cfg({ mirrors: [reg.url] }) })), 'image/not-found');
    } finally {
      await reg.stop();
    }
  });
}

test.run();
