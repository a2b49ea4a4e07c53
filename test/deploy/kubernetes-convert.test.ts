// Golden manifests of `berth convert --format kubernetes` for every fixture of
// fixtures/deploy/ (kubernetes.golden.yaml beside each compose.yaml; BERTH_UPDATE_GOLDEN=1
// rewrites them), each object validated against the Kubernetes OpenAPI schemas (the
// kubernetes-models package) and the semantic rules a schema misses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifests, validatedObjects } from '../../src/deploy/kubernetes/manifests.js';
import { semanticProblems, validateSchemas } from '../../src/deploy/kubernetes/validate.js';
import { convertToKubernetes, type KubeObject } from '../../src/deploy/kubernetes/convert.js';
import { deployFixtures, deployRoot, loadFixture } from './fixtures.js';

const update = process.env.BERTH_UPDATE_GOLDEN === '1';

for (const name of deployFixtures()) {
  test(`fixture ${name}: golden manifests`, async () => {
    const files = await manifests(await loadFixture(name));
    const text = files.map((f) => `# ${f.name}\n${f.text}`).join('---\n');
    const golden = join(deployRoot, name, 'kubernetes.golden.yaml');
    if (update || !existsSync(golden)) writeFileSync(golden, text);
    assert.fixture(text, readFileSync(golden, 'utf8'));
  });

  test(`fixture ${name}: every object passes the schema and the semantic checks`, async () => {
    const objects = await validatedObjects(await loadFixture(name));
    assert.ok(objects.length > 0);
    assert.equal(semanticProblems(objects), []);
    for (const o of objects) assert.equal(o.metadata?.labels?.['app.kubernetes.io/managed-by'], 'berth', `${o.kind} ${o.metadata?.name}`);
  });
}

const objectsOf = async (name: string): Promise<KubeObject[]> => convertToKubernetes(await loadFixture(name), (p) => readFileSync(p));
const find = (objects: KubeObject[], kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata?.name === name);

test('a Service for every service: headless when it publishes nothing', async () => {
  const objects = await objectsOf('statefulset');
  assert.equal(find(objects, 'Service', 'cache').spec.clusterIP, 'None');
  assert.is(find(objects, 'Service', 'api').spec.clusterIP, undefined);
  assert.equal(
    find(objects, 'Service', 'api').spec.ports.map((p: { name: string }) => p.name),
    ['tcp-8000', 'udp-9090'],
  );
});

test('healthcheck -> readiness probe; liveness only on request; depends_on -> wait initContainers', async () => {
  const objects = await objectsOf('statefulset');
  const db = find(objects, 'StatefulSet', 'db').spec.template.spec.containers[0];
  assert.equal(db.readinessProbe.exec.command, ['/bin/sh', '-c', 'pg_isready -U postgres']);
  assert.equal(db.livenessProbe, db.readinessProbe);
  const web = find(await objectsOf('stack'), 'Deployment', 'web').spec.template.spec.containers[0];
  assert.ok(web.readinessProbe);
  assert.is(web.livenessProbe, undefined);
  const api = find(objects, 'Deployment', 'api').spec.template.spec;
  assert.equal(
    api.initContainers.map((c: { name: string }) => c.name),
    ['wait-for-cache', 'wait-for-db'],
  );
  assert.match(api.initContainers[1].command[2], /nc -z -w 2 db 5432/);
});

test('secrets at /run/secrets/NAME, configs at their target; a changed secret changes the pod checksum', async () => {
  const a = await objectsOf('stack');
  const web = find(a, 'Deployment', 'web').spec.template;
  const mounts = web.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
  assert.equal(mounts, ['/run/secrets/token', '/www/index.html']);
  const changed = convertToKubernetes(await loadFixture('stack'), (p) => (p.endsWith('token.txt') ? Buffer.from('other') : readFileSync(p)));
  const after = find(changed, 'Deployment', 'web').spec.template.metadata.annotations['berth.dev/config-checksum'];
  assert.not.equal(after, web.metadata.annotations['berth.dev/config-checksum']);
});

test('the semantic checks catch what a schema misses', async () => {
  const objects = structuredClone(await objectsOf('statefulset')) as any[];
  const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api');
  api.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other';
  api.spec.template.spec.containers[0].ports[0].name = 'a-very-long-port-name';
  objects.find((o) => o.kind === 'Service').metadata.name = 'Bad_Name';
  await validateSchemas(objects); // the schema accepts all three
  assert.equal(semanticProblems(objects), [
    'Service Bad_Name: name is not a DNS-1123 label',
    "Deployment api: selector app.kubernetes.io/name=other does not match the template's labels",
    'Deployment api: port name a-very-long-port-name is not an IANA service name (at most 15 characters)',
  ]);
});

test('the schema check names the object and the field', async () => {
  const objects = structuredClone(await objectsOf('minimal')) as any[];
  objects.find((o) => o.kind === 'Deployment').spec.replicas = 'three';
  try {
    await validateSchemas(objects);
    assert.unreachable('validated');
  } catch (err) {
    assert.match((err as Error).message, /^Deployment hello-world: .*replicas/);
  }
});

test.run();
