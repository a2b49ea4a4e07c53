import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, selectServices, serializeProject, serviceDependencies } from '../../src/spec/index.js';
import { SpecError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-spec-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const compose = `
services:
  web:
    image: nginx
    depends_on: [api]
  api:
    image: api
    links: [db]
  db:
    image: postgres
  debug:
    image: busybox
    profiles: [debug]
    depends_on: [web]
`;
writeFileSync(join(dir, 'compose.yaml'), compose);
const base = { env: { HOME: '/home/t' }, cwd: dir, projectName: 'p' };

test('loads a frozen, normalized project', async () => {
  const p = await loadProject(base);
  assert.equal(Object.keys(p.services), ['api', 'db', 'web']);
  assert.equal(Object.keys(p.disabledServices), ['debug']);
  assert.equal(p.services.api!.depends_on, { db: { condition: 'service_started', restart: false, required: true } });
  assert.ok(Object.isFrozen(p.services.web));
  assert.equal(p.networks.default, { name: 'p_default' });
});

test('selectServices pulls in dependencies; a named disabled service is selected', async () => {
  const p = await loadProject(base);
  assert.equal(Object.keys(selectServices(p, ['web']).services), ['api', 'db', 'web']);
  assert.equal(serviceDependencies(p, ['debug']), ['api', 'db', 'debug', 'web']);
  assert.throws(
    () => selectServices(p, ['nope']),
    (e: unknown) => e instanceof SpecError && e.code === 'spec/no-such-service',
  );
});

test('stdin is read through the injected reader', async () => {
  const p = await loadProject({ ...base, files: ['-'], readStdin: async () => 'services:\n  s:\n    image: x\n' });
  assert.equal(Object.keys(p.services), ['s']);
  assert.match(serializeProject(p), /^name: p\nservices:\n  s:\n    image: x\n/);
});

test('warnings arrive once through onWarning', async () => {
  writeFileSync(join(dir, 'warn.yaml'), 'services:\n  s:\n    image: "a:${NOPE}"\n    environment: [X=$NOPE]\n');
  const warnings: string[] = [];
  await loadProject({ ...base, files: ['warn.yaml'], onWarning: (w) => warnings.push(w.code) });
  assert.equal(warnings, ['spec/unset-variable']);
});

test('errors carry file, line, column and path', async () => {
  writeFileSync(join(dir, 'bad.yaml'), 'services:\n  s:\n    image: x\n    ports:\n      - "80:80"\n      - {target: x}\n');
  try {
    await loadProject({ ...base, files: ['bad.yaml'] });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SpecError);
    const e = err as SpecError;
    assert.is(e.position?.file, join(dir, 'bad.yaml'));
    assert.is(e.position?.line, 6);
    assert.is(e.path, 'services.s.ports[1].target');
  }
});

test.run();
