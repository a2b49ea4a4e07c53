import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryConfig, isInsecure } from '../../src/image/registry/config.js';
import { endpointsFor } from '../../src/image/registry/endpoints.js';
import { findCredentials, parseChallenges } from '../../src/image/registry/auth.js';
import { selectPlatform } from '../../src/image/manifest.js';
import type { Digest } from '../../src/image/types.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-regcfg-'));

test('mirrors and insecure registries from env, then the config file; docker.io tries mirrors first', () => {
  mkdirSync(join(dir, 'berth'), { recursive: true });
  writeFileSync(join(dir, 'berth', 'config.json'), JSON.stringify({ 'registry-mirrors': ['https://mirror.example/'], 'insecure-registries': ['reg.lan:5000'] }));
  const cfg = loadRegistryConfig({ BERTH_CONFIG_DIR: join(dir, 'berth'), HOME: dir, BERTH_REGISTRY_MIRRORS: 'http://127.0.0.1:5000, other.example', BERTH_INSECURE_REGISTRIES: 'x.lan' });
  assert.equal(cfg.mirrors, ['http://127.0.0.1:5000', 'other.example', 'https://mirror.example']);
  assert.equal(cfg.insecure, ['x.lan', 'reg.lan:5000']);
  assert.equal(
    endpointsFor(cfg, 'docker.io').map((e) => e.url),
    ['http://127.0.0.1:5000', 'https://other.example', 'https://mirror.example', 'https://registry-1.docker.io'],
  );
  assert.equal(
    endpointsFor(cfg, 'docker.io', true).map((e) => e.url),
    ['https://registry-1.docker.io'],
  );
  assert.equal(
    endpointsFor(cfg, 'reg.lan:5000').map((e) => e.url),
    ['http://reg.lan:5000'],
  );
  assert.equal(
    endpointsFor(cfg, 'ghcr.io').map((e) => e.url),
    ['https://ghcr.io'],
  );
  assert.ok(isInsecure(cfg, 'localhost:5000') && isInsecure(cfg, '127.0.0.1:1234') && isInsecure(cfg, 'x.lan:443'));
  assert.not.ok(isInsecure(cfg, 'ghcr.io'));
});

test('WWW-Authenticate parsing', () => {
  assert.equal(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/redis:pull' } },
  ]);
  assert.equal(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.equal(parseChallenges(null), []);
});

test('credentials from docker config.json (auth base64, docker.io key) and berth login file first', () => {
  const docker = join(dir, 'docker.json');
  const mine = join(dir, 'auth.json');
  writeFileSync(
    docker,
    JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') }, 'ghcr.io': { auth: Buffer.from('gh:tok').toString('base64') } } }),
  );
  writeFileSync(mine, JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('me:mine').toString('base64') } } }));
  const cfg = { mirrors: [], insecure: [], authFiles: [mine, docker], loginFile: mine };
  assert.equal(findCredentials(cfg, 'docker.io'), { username: 'hub', password: 'pw:with:colons' });
  assert.equal(findCredentials(cfg, 'ghcr.io'), { username: 'me', password: 'mine' });
  assert.is(findCredentials(cfg, 'quay.io'), undefined);
});

test('platform choice: exact variant, then variant-less; arm64 matches arm64/v8', () => {
  const d = (c: string): Digest => `sha256:${c.repeat(64)}` as Digest;
  const entries = [
    { digest: d('a'), mediaType: '', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { digest: d('b'), mediaType: '', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { digest: d('c'), mediaType: '', size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { digest: d('e'), mediaType: '', size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: d('f'), mediaType: '', size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
  ];
  assert.is(selectPlatform('x', entries, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest, d('b'));
  assert.is(selectPlatform('x', entries, { os: 'linux', architecture: 'arm64' }).digest, d('c'));
  assert.is(selectPlatform('x', entries, { os: 'linux', architecture: 'amd64' }).digest, d('e'));
  assert.throws(() => selectPlatform('x', entries, { os: 'linux', architecture: 'riscv64' }), /no image for platform linux\/riscv64/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
