// `berth deploy --to kubernetes` and `--down` against an in-process FAKE API server
// (test/helpers/fake-kube-api.ts): it checks the server-side apply contract (content type,
// fieldManager) and the label selectors of prune; it is a fake, not a conformance test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { DeployEvent, DeployOptions } from '../../src/api/index.js';
import { createDeployer } from '../../src/deploy/index.js';
import { FakeKubeApi } from '../helpers/fake-kube-api.js';
import { deployRoot, FIXTURE_ENV } from './fixtures.js';

const api = new FakeKubeApi();
const events: DeployEvent[] = [];

function options(fixture: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  const dir = join(deployRoot, fixture);
  return {
    source: { files: [join(dir, 'compose.yaml')], envFiles: [], profiles: [], env: { ...FIXTURE_ENV, KUBECONFIG: api.kubeconfig }, cwd: dir },
    target: 'kubernetes',
    context: 'fake',
    onEvent: (e) => {
      if (e.kind === 'deploy') events.push(e);
    },
    ...extra,
  };
}

test.before(async () => {
  await api.start();
  const labels = { 'app.kubernetes.io/part-of': 'stack', 'app.kubernetes.io/managed-by': 'berth' };
  // left over from an earlier deploy of the project: pruned
  api.seed('/api/v1', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-old', namespace: 'berth-test', labels } });
  // another project's, and one nobody manages: kept
  api.seed('/api/v1', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: 'berth-test', labels: { ...labels, 'app.kubernetes.io/part-of': 'shop' } } });
  api.seed('/api/v1', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-by-hand', namespace: 'berth-test', labels: { 'app.kubernetes.io/part-of': 'stack' } } });
});
test.after(() => api.stop());

test('--dry-run: the plan lists what would be applied and pruned, and changes nothing', async () => {
  const text = await createDeployer().plan(options('stack'));
  const lines = text.split('\n');
  assert.ok(lines.includes('apply Deployment berth-test/web'), text);
  assert.ok(lines.includes('apply NetworkPolicy berth-test/network-back'), text);
  assert.equal(
    lines.filter((l) => l.startsWith('prune')),
    ['prune ConfigMap berth-test/config-old'],
  );
  assert.equal(
    api.requests.filter((r) => r.method !== 'GET'),
    [],
  );
});

test('deploy applies every object with server-side apply as fieldManager berth, prunes by labels, waits for the rollout', async () => {
  await createDeployer().deploy(options('stack'));
  assert.equal(api.violations, []);
  const patches = api.requests.filter((r) => r.method === 'PATCH');
  assert.ok(patches.length >= 8);
  for (const p of patches) {
    assert.is(p.contentType, 'application/apply-patch+yaml');
    assert.is(p.query.fieldManager, 'berth');
    assert.is(p.query.force, 'true');
    assert.match(p.path, /\/namespaces\/berth-test\//);
  }
  const lists = api.requests.filter((r) => r.method === 'GET' && r.query.labelSelector !== undefined);
  assert.ok(lists.length >= 7);
  for (const l of lists) assert.is(l.query.labelSelector, 'app.kubernetes.io/managed-by=berth,app.kubernetes.io/part-of=stack');
  assert.equal(api.names('ConfigMap'), ['ConfigMap/berth-test/config-page', 'ConfigMap/berth-test/theirs', 'ConfigMap/berth-test/web-env']);
  assert.equal(api.names('Service'), ['Service/berth-test/web', 'Service/berth-test/web-by-hand', 'Service/berth-test/worker']);
  assert.equal(api.names('Deployment'), ['Deployment/berth-test/web', 'Deployment/berth-test/worker']);
  const said = events.map((e) => `${e.object} ${e.name} ${e.action}${e.detail ? ` ${e.detail}` : ''}`);
  assert.ok(said.includes('ConfigMap config-old removed pruned'), said.join('\n'));
  assert.ok(said.includes('Deployment web waiting rollout'));
  assert.ok(said.includes('Deployment worker running 2/2 ready'), said.join('\n'));
});

test('a second deploy applies the same objects and prunes nothing', async () => {
  const before = api.names();
  events.length = 0;
  await createDeployer().deploy(options('stack', { noWait: true }));
  assert.equal(api.names(), before);
  assert.not.ok(events.some((e) => e.action === 'removed'));
  assert.equal(api.violations, []);
});

test("--ps lists the project's pods by its part-of label", async () => {
  const pod = (name: string, project: string, phase: string): Parameters<FakeKubeApi['seed']>[2] => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'berth-test', labels: { 'app.kubernetes.io/name': name.split('-')[0]!, 'app.kubernetes.io/part-of': project } },
    status: { phase },
  });
  api.seed('/api/v1', 'pods', pod('worker-b', 'stack', 'Pending'));
  api.seed('/api/v1', 'pods', pod('web-a', 'stack', 'Running'));
  api.seed('/api/v1', 'pods', pod('db-x', 'shop', 'Running'));
  const tasks = await createDeployer().ps(options('stack'));
  assert.equal(
    tasks.map((t) => `${t.service} ${t.name} ${t.state}`),
    ['web web-a Running', 'worker worker-b Pending'],
  );
  for (const name of ['worker-b', 'web-a', 'db-x']) api.objects.delete(`/api/v1/berth-test/pods/${name}`);
});

test('an unknown context is a one-line error', async () => {
  try {
    await createDeployer().deploy(options('stack', { context: 'nope' }));
    assert.unreachable('deployed');
  } catch (err) {
    assert.is((err as Error).message, 'kubeconfig has no context nope');
  }
});

test('--down deletes the objects the project labels select, nothing else', async () => {
  events.length = 0;
  await createDeployer().down(options('stack'));
  assert.equal(api.names('PersistentVolumeClaim'), ['PersistentVolumeClaim/berth-test/data'], 'the data stays without volumes');
  await createDeployer().down(options('stack', { volumes: true }));
  assert.equal(api.names(), ['ConfigMap/berth-test/theirs', 'Service/berth-test/web-by-hand']);
  assert.ok(events.every((e) => e.action === 'removed'));
  assert.equal(api.violations, []);
});

test.run();
