// Root-free: when up/create/run build (compose's rules), through fake engine ports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServiceImages } from '../../src/engine/build-images.js';
import { engineContext } from '../../src/engine/index.js';
import type { EnginePorts, ImagePort } from '../../src/engine/ports.js';
import type { EngineEvent } from '../../src/api/index.js';
import type { Digest, LocalImage } from '../../src/image/types.js';
import type { Project } from '../../src/spec/index.js';
import { BerthError } from '../../src/errors.js';

const img = (id: string): LocalImage => ({
  id: `sha256:${id}` as Digest,
  reference: undefined,
  digest: undefined,
  config: {},
  platform: { os: 'linux', architecture: 'amd64' },
  diffIds: [],
  layerDirs: [],
  created: undefined,
  size: 0,
  repoTags: [],
  repoDigests: [],
});

function setup(local: readonly string[]) {
  const built: string[] = [];
  const events: EngineEvent[] = [];
  const images: ImagePort = {
    ensure: async () => img('pulled'),
    resolveLocal: async (ref) => (local.includes(ref) ? img(`local-${ref}`) : undefined),
    hold: async () => undefined,
    release: async () => undefined,
    remove: async () => undefined,
  };
  const ports = {
    images,
    runtime: {} as EnginePorts['runtime'],
    network: {} as EnginePorts['network'],
    builder: {
      async build(project: Project, service: string, options: { onEvent(e: never): void }) {
        built.push(service);
        options.onEvent({ kind: 'image', action: 'built', image: `${project.name}-${service}` } as never);
        return img(`built-${service}`);
      },
    },
  } as EnginePorts;
  const ctx = engineContext({ ports, env: { BERTH_ROOT: '/nonexistent' }, onEvent: (e) => events.push(e), now: () => 1 });
  return { ctx, built, events };
}

const project = {
  name: 'p',
  services: {
    web: { name: 'web', build: { context: '/c' } },
    worker: { name: 'worker', image: 'shared:1', build: { context: '/c' } },
    worker2: { name: 'worker2', image: 'shared:1', build: { context: '/c' } },
    always: { name: 'always', image: 'al:1', build: { context: '/c' }, pull_policy: 'build' },
    pulled: { name: 'pulled', image: 'busybox' },
  },
} as unknown as Project;
const all = ['always', 'pulled', 'web', 'worker', 'worker2'];

test('default: builds missing images only, one build per image name; pull_policy build always builds', async () => {
  const { ctx, built, events } = setup(['p-web']);
  const out = await buildServiceImages(ctx, project, all, {});
  assert.equal(built, ['always', 'worker']);
  assert.equal([...out.keys()].sort(), ['always', 'worker', 'worker2']);
  assert.is(out.get('worker2')!.id, 'sha256:built-worker');
  assert.ok(events.some((e) => e.kind === 'image' && e.action === 'built'));
});

test('--build builds every service with build:', async () => {
  const { ctx, built } = setup(['p-web', 'shared:1', 'al:1']);
  await buildServiceImages(ctx, project, all, { build: true });
  assert.equal(built, ['always', 'web', 'worker']);
});

test('--no-build never builds; a missing image without image: to pull is an error', async () => {
  const { ctx, built } = setup(['al:1']);
  const err = await buildServiceImages(ctx, project, all, { noBuild: true }).catch((e: unknown) => e);
  assert.instance(err, BerthError);
  assert.is((err as BerthError).code, 'engine/image-missing');
  assert.match((err as BerthError).message, /service web: image p-web has not been built/);
  const ok = await buildServiceImages(ctx, project, ['worker', 'always'], { noBuild: true });
  assert.is(ok.size, 0, 'left to the pull step');
  assert.equal(built, []);
});

test.run();
