import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { desiredSwarm, planSwarm } from '../../src/deploy/swarm/index.js';
import type { SwarmObserved } from '../../src/deploy/swarm/observe.js';
import { loadFixture } from './fixtures.js';

const read = (p: string): Buffer => readFileSync(p);
const none: SwarmObserved = { services: [], networks: [], secrets: [], configs: [] };

test('the stack fixture as swarm objects: stack names and labels, content-hashed secrets, dnsrr, host ports', async () => {
  const d = desiredSwarm(await loadFixture('stack'), read);
  assert.equal(
    d.networks.map((n) => [n.name, n.spec.Driver]),
    [['stack_back', 'overlay']],
  );
  assert.equal(
    d.files.map((f) => f.name.replace(/[0-9a-f]{12}$/, 'HASH')),
    ['stack_token_HASH', 'stack_page_HASH'],
  );
  const web = d.services.find((s) => s.service === 'web')!.spec as any;
  assert.is(web.Name, 'stack_web');
  assert.is(web.Labels['com.docker.stack.namespace'], 'stack');
  assert.is(web.Labels['com.docker.stack.image'], 'berth-deploy-bb:1');
  assert.equal(web.EndpointSpec, { Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 18080, PublishMode: 'host' }] });
  assert.equal(web.TaskTemplate.ContainerSpec.Env, ['GREETING=hello']);
  assert.equal(web.TaskTemplate.ContainerSpec.Secrets[0].File, { Name: 'token', UID: '0', GID: '0', Mode: 0o444 });
  assert.equal(web.TaskTemplate.ContainerSpec.Configs[0].File.Name, '/www/index.html');
  assert.equal(web.TaskTemplate.ContainerSpec.Healthcheck.Interval, 1e9);
  assert.equal(web.TaskTemplate.Networks, [{ Target: 'stack_back', Aliases: ['web'] }]);
  const worker = d.services.find((s) => s.service === 'worker')!;
  assert.equal(worker.dependsOn, ['web']);
  const w = worker.spec as any;
  assert.equal(w.Mode, { Replicated: { Replicas: 2 } });
  assert.equal(w.TaskTemplate.Resources, { Limits: { MemoryBytes: 64 * 2 ** 20 } });
  assert.equal(w.TaskTemplate.RestartPolicy, { Condition: 'any', Delay: 1e9 });
  assert.equal(w.UpdateConfig, { Parallelism: 2, Monitor: 1e9, Order: 'start-first' });
  assert.equal(w.RollbackConfig, { Parallelism: 2, Monitor: 1e9 });
  assert.equal(w.TaskTemplate.ContainerSpec.Mounts, [{ Type: 'volume', Source: 'stack_data', Target: '/data', VolumeOptions: { Labels: { 'com.docker.stack.namespace': 'stack' } } }]);
});

test('pinned images: the spec runs image@digest, the stack label keeps the name as written', async () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const d = desiredSwarm(await loadFixture('stack'), read, new Map([['berth-deploy-bb:1', `berth-deploy-bb:1@${digest}`]]));
  const web = d.services.find((s) => s.service === 'web')!.spec as any;
  assert.is(web.TaskTemplate.ContainerSpec.Image, `berth-deploy-bb:1@${digest}`);
  assert.is(web.Labels['com.docker.stack.image'], 'berth-deploy-bb:1');
});

test('the plan of a first deploy, as text: web before the worker that depends on it', async () => {
  const d = desiredSwarm(await loadFixture('stack'), read);
  assert.fixture(
    planSwarm(d, none)
      .toString()
      .replace(/_[0-9a-f]{12}/g, '_HASH'),
    ['create network stack_back', 'create secret stack_token_HASH', 'create config stack_page_HASH', 'create service stack_web', 'create service stack_worker (after stack_web run)'].join('\n'),
  );
});

test('nothing changed: an empty plan; a changed secret: a new object, an update, the old one removed', async () => {
  const d = desiredSwarm(await loadFixture('stack'), read);
  const observed: SwarmObserved = {
    services: d.services.map((s, i) => ({ id: `s${i}`, name: s.name, version: 1, hash: s.hash, spec: s.spec, updateState: undefined })),
    networks: d.networks.map((n) => ({ id: n.name, name: n.name, labels: {} })),
    secrets: d.files.filter((f) => f.kind === 'secret').map((f) => ({ id: f.name, name: f.name, labels: f.labels })),
    configs: d.files.filter((f) => f.kind === 'config').map((f) => ({ id: f.name, name: f.name, labels: f.labels })),
  };
  assert.ok(planSwarm(d, observed).empty);
  const changed = desiredSwarm(await loadFixture('stack'), (p) => (p.endsWith('token.txt') ? Buffer.from('s3cret-2') : read(p)));
  const text = planSwarm(changed, observed)
    .toString()
    .replace(/_[0-9a-f]{12}/g, '_HASH');
  assert.fixture(text, ['create secret stack_token_HASH', 'update service stack_web', 'update service stack_worker (after stack_web run)', 'remove secret stack_token_HASH'].join('\n'));
});

test.run();
