// `berth image ...` end to end through the CLI entry point, against a seeded loopback
// registry standing in for Docker Hub (BERTH_REGISTRY_MIRRORS).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/main.js';
import { ensureImage } from '../../src/image/ensure.js';
import { openImageStore } from '../../src/image/store.js';
import { BerthError } from '../../src/errors.js';
import { makeTestRoots, skipUnlessKernel, findLeaks } from '../helpers/kernel.js';
import { startTestRegistry, isolatedRegistryConfig, type TestRegistry } from '../helpers/registry.js';

const skip = skipUnlessKernel('berth image CLI');
const roots = makeTestRoots('image-cli');

async function berth(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const w = (f: (s: string) => void): Writable =>
    new Writable({
      write(c, _e, cb) {
        f(String(c));
        cb();
      },
    });
  const code = await main(argv, { stdout: w((s) => (out += s)), stderr: w((s) => (err += s)) });
  return { code, out, err };
}

if (!skip) {
  let reg: TestRegistry;
  test.before(async () => {
    reg = await startTestRegistry();
    mkdirSync(roots.root, { recursive: true });
    process.env.BERTH_ROOT = roots.root;
    process.env.BERTH_CONFIG_DIR = join(roots.root, 'config');
    process.env.DOCKER_CONFIG = join(roots.root, 'docker');
    process.env.BERTH_REGISTRY_MIRRORS = reg.url;
  });
  test.after(async () => {
    await reg?.stop();
    const leaks = findLeaks(roots.root);
    try {
      if (reg) process.kill(reg.pid, 0);
      if (reg) leaks.push(`registry pid ${reg.pid}`);
    } catch {
      // stopped, as it should be
    }
    roots.cleanup();
    if (leaks.length) throw new Error(`leaked: ${leaks.join(', ')}`);
  });

  test('pull, ls, tag, push, rm, pull back, inspect, save, load, prune', async () => {
    let r = await berth('image', 'pull', 'busybox:1.36');
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /Status: Downloaded newer image for busybox:1\.36\ndocker\.io\/library\/busybox:1\.36\n$/);
    r = await berth('image', 'pull', '-q', 'busybox:1.36');
    assert.is(r.out, 'docker.io/library/busybox:1.36\n');
    r = await berth('image', 'ls');
    assert.match(r.out, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\nbusybox\s+1\.36\s+[0-9a-f]{12}\s+/);
    const mine = `${reg.host}/me/bb:v1`;
    assert.is((await berth('image', 'tag', 'busybox:1.36', mine)).code, 0);
    r = await berth('image', 'push', mine);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /v1: digest: sha256:[0-9a-f]{64} size: \d+/);
    r = await berth('image', 'rm', mine, 'busybox:1.36');
    assert.match(r.out, /Untagged: .*me\/bb:v1\nUntagged: busybox:1\.36\nDeleted: sha256:/);
    r = await berth('image', 'pull', mine);
    assert.is(r.code, 0, r.err);
    r = await berth('image', 'inspect', '--format', '{{.Config.Cmd}}', mine);
    assert.is(r.out, '["sh"]\n');
    const tar = join(roots.root, 'bb.tar');
    assert.is((await berth('image', 'save', '-o', tar, mine)).code, 0);
    assert.is((await berth('image', 'rm', mine)).code, 0);
    r = await berth('image', 'load', '-i', tar);
    assert.is(r.out, `Loaded image: ${mine}\n`);
    r = await berth('image', 'prune', '-a');
    assert.match(r.out, /Deleted Images:\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: /);
    r = await berth('image', 'ls', '-q');
    assert.is(r.out, '');
  });

  test('mistakes: one line, no stack trace, right exit code', async () => {
    let r = await berth('image', 'pull', 'Bad//Ref');
    assert.is(r.code, 1);
    assert.match(r.err, /^berth: invalid image reference "Bad\/\/Ref"/);
    assert.not.match(r.err, /at .*\.js/);
    r = await berth('image', 'pull', 'busybox:nope');
    assert.is(r.code, 1);
    assert.match(r.err, /not found|MANIFEST_UNKNOWN/);
    r = await berth('image', 'inspect', 'nothing:here');
    assert.is(r.code, 1);
    assert.match(r.err, /image nothing:here is not in the local store/);
    r = await berth('image', 'pull');
    assert.is(r.code, 2);
  });

  test('ensureImage honours pull policies', async () => {
    const s = openImageStore(join(roots.root, 'ensure', 'images'));
    const cfg = isolatedRegistryConfig(join(roots.root, 'ensure'), { mirrors: [reg.url] });
    const never = await ensureImage(s, 'busybox:1.36', { pullPolicy: 'never', registryConfig: cfg }).catch((e: unknown) => e);
    assert.is((never as BerthError).code, 'image/not-found');
    const pulled: string[] = [];
    const img = await ensureImage(s, 'busybox:1.36', { pullPolicy: 'missing', registryConfig: cfg, onProgress: (e) => pulled.push(e.type) });
    assert.ok(pulled.includes('done'));
    assert.equal(img.config.Cmd, ['sh']);
    const again: string[] = [];
    await ensureImage(s, 'busybox:1.36', { pullPolicy: 'missing', registryConfig: cfg, onProgress: (e) => again.push(e.type) });
    assert.equal(again, []);
    await ensureImage(s, 'busybox:1.36', { pullPolicy: 'always', registryConfig: cfg, onProgress: (e) => again.push(e.type) });
    assert.ok(again.includes('resolving'));
  });
}
test.run();
