// Root-free: cache keys, source hashing with .dockerignore, stage selection, compose mapping.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey } from '../../src/build/cache.js';
import { contextFs, hashSources, matchSource } from '../../src/build/context.js';
import { serviceBuildRequest, serviceImageName, engineEventOf } from '../../src/build/compose.js';
import { parseDockerfile } from '../../src/build/parse.js';
import { neededStages } from '../../src/build/stages.js';
import type { Project } from '../../src/spec/index.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-build-keys-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('cache keys are stable and sensitive to every part', () => {
  assert.is(cacheKey('a', ['b', 1]), cacheKey('a', ['b', 1]));
  assert.is.not(cacheKey('a', ['b', 1]), cacheKey('a', ['b', 2]));
  assert.is.not(cacheKey('ab'), cacheKey('a', 'b'));
});

test('source hash: content and modes count, times and ignored files do not; wildcards match', async () => {
  mkdirSync(join(dir, 'src/sub'), { recursive: true });
  writeFileSync(join(dir, 'src/a.txt'), 'a');
  writeFileSync(join(dir, 'src/sub/b.txt'), 'b');
  writeFileSync(join(dir, 'src/debug.log'), 'x');
  writeFileSync(join(dir, '.dockerignore'), '**/*.log\n');
  const fs = await contextFs(dir, 'Dockerfile');
  const hash = async () => hashSources(fs, await matchSource(fs, 'src'));
  const h1 = await hash();
  utimesSync(join(dir, 'src/a.txt'), new Date(1), new Date(1));
  assert.is(await hash(), h1, 'mtime does not count');
  writeFileSync(join(dir, 'src/debug.log'), 'changed');
  assert.is(await hash(), h1, 'ignored files do not count');
  writeFileSync(join(dir, 'src/sub/b.txt'), 'B');
  assert.is.not(await hash(), h1, 'content counts');
  assert.equal(
    (await matchSource(fs, 'src/*.txt')).map((e) => e.rel),
    ['src/a.txt'],
  );
  assert.equal(
    (await matchSource(fs, './src/../src/s*')).map((e) => e.rel),
    ['src/sub'],
  );
  assert.equal(await matchSource(fs, 'src/debug.log'), [], 'excluded by .dockerignore');
  assert.equal(await matchSource(fs, '../../etc/passwd'), [], 'never outside the context (read as <context>/etc/passwd)');
});

test('context filter: <Dockerfile>.dockerignore wins over .dockerignore; `.` excludes nothing', async () => {
  const ctx = join(dir, 'ctx2');
  mkdirSync(join(ctx, 'docker'), { recursive: true });
  writeFileSync(join(ctx, 'a.txt'), 'a');
  writeFileSync(join(ctx, 'b.txt'), 'b');
  writeFileSync(join(ctx, '.dockerignore'), 'a.txt\n');
  writeFileSync(join(ctx, 'docker', 'Dockerfile.dev.dockerignore'), 'b.txt\n');
  const names = async (fs: Awaited<ReturnType<typeof contextFs>>) => (await matchSource(fs, '*.txt')).map((e) => e.rel);
  assert.equal(await names(await contextFs(ctx, 'Dockerfile')), ['b.txt'], 'plain Dockerfile: .dockerignore');
  assert.equal(await names(await contextFs(ctx, 'docker/Dockerfile.dev')), ['a.txt'], 'Dockerfile.dev.dockerignore next to it');
  writeFileSync(join(ctx, 'Dockerfile.dockerignore'), 'a.txt\nb.txt\n');
  assert.equal(await names(await contextFs(ctx, 'Dockerfile')), [], 'Dockerfile.dockerignore for the default Dockerfile');
  assert.equal(await names(await contextFs(ctx, undefined)), ['b.txt'], 'inline Dockerfile: .dockerignore only');
  rmSync(join(ctx, 'Dockerfile.dockerignore'));
  writeFileSync(join(ctx, '.dockerignore'), '.\n');
  assert.equal(await names(await contextFs(ctx, 'Dockerfile')), ['a.txt', 'b.txt'], 'BuildKit compares `.` literally: nothing is excluded');
});

test('a target needs only its own stages (FROM stage, COPY --from)', () => {
  const df = parseDockerfile('ARG V=1\nFROM busybox AS deps\nFROM busybox AS unused\nFROM deps AS build\nFROM busybox AS tools\nFROM busybox\nCOPY --from=build /a /a\nCOPY --from=3 /b /b\n');
  assert.equal(
    neededStages(df, 4, () => undefined),
    [0, 2, 3, 4],
  );
  assert.equal(
    neededStages(df, 2, () => undefined),
    [0, 2],
  );
});

const project = (build: unknown, image?: string): Project => ({ name: 'proj', services: { web: { name: 'web', ...(image ? { image } : {}), build } } }) as unknown as Project;

test('compose build: image name, tags, args, flags, warnings once, remote contexts refused', () => {
  assert.is(serviceImageName(project({ context: '/c' }), 'web'), 'proj-web');
  assert.is(serviceImageName(project({ context: '/c' }, 'example/web:2'), 'web'), 'example/web:2');
  const { request, warnings } = serviceBuildRequest(
    project({ context: '/c', dockerfile: 'Dockerfile.dev', args: { A: '1', B: null }, tags: ['x:1'], target: 't', labels: { l: 'v' }, no_cache: true, cache_from: ['a'], ssh: ['default'] }),
    'web',
    { buildArgs: { A: '2' }, pull: true },
  );
  assert.equal(request.tags, ['proj-web', 'x:1']);
  assert.is(request.dockerfile, 'Dockerfile.dev');
  assert.equal(request.buildArgs, { A: '2', B: null });
  assert.is(request.target, 't');
  assert.equal(request.labels, { l: 'v' });
  assert.is(request.noCache, true);
  assert.is(request.pull, true);
  assert.equal(warnings, ["build.cache_from is not supported by berth's builder: ignored (service web)", "build.ssh is not supported by berth's builder: ignored (service web)"]);
  assert.equal(serviceBuildRequest(project({ context: '/c', cache_from: ['a'] }), 'web').warnings, [], 'warned once');
  const inline = serviceBuildRequest(project({ context: '/c', dockerfile_inline: 'FROM x' }), 'web').request;
  assert.is(inline.dockerfileInline, 'FROM x');
  assert.is(inline.dockerfile, undefined);
  assert.throws(() => serviceBuildRequest(project({ context: 'https://github.com/x/y.git' }), 'web'), /remote build context/);
  assert.equal(engineEventOf('proj-web', ['web'], { type: 'step', step: 2, total: 5, stage: 'stage-0', text: 'RUN make', cached: true }), {
    kind: 'image',
    action: 'building',
    image: 'proj-web',
    services: ['web'],
    detail: '[2/5] CACHED RUN make',
    step: 2,
    steps: 5,
  });
});

test('compose build: network and entitlements (with --allow) reach the request; entitlements are not warned about', () => {
  const { request, warnings } = serviceBuildRequest(project({ context: '/c', network: 'host', other: { entitlements: ['network.host'] } }), 'web', { allow: ['network.host'] });
  assert.is(request.network, 'host');
  assert.equal(request.allow, ['network.host']);
  assert.equal(warnings, []);
  const plain = serviceBuildRequest(project({ context: '/c' }), 'web').request;
  assert.is(plain.network, undefined, 'RUN then uses the build network');
  assert.is(plain.allow, undefined);
});

test.run();
