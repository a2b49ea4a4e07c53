// include and extends as compose-go (>= 2.10) does them: the including file's definition is
// merged over an imported one; an extends target file is read without validation (only
// the service taken from it is checked, in the merged result).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '../../src/spec/index.js';
import { SpecError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-include-extends-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function load(files: Record<string, string>): ReturnType<typeof loadProjectSync> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadProjectSync({ cwd: dir, env: { HOME: '/home/t' }, projectName: 'p', files: [join(dir, 'compose.yaml')] });
}

test('include: a service defined on both sides is the local one merged over the imported one', () => {
  const p = load({
    'other.yaml': 'services:\n  db:\n    image: postgres:15\n    environment: {A: "1", B: "2"}\n    ports: ["5432:5432"]\n',
    'compose.yaml': 'include: [other.yaml]\nservices:\n  db:\n    image: postgres:16\n    environment: {B: "3"}\n    ports: !reset []\n',
  });
  const db = p.services.db!;
  assert.is(db.image, 'postgres:16');
  assert.equal(db.environment, { A: '1', B: '3' });
  assert.is(db.ports, undefined);
});

test('include: !override replaces the imported value', () => {
  const p = load({
    'other.yaml': 'services:\n  db:\n    image: postgres:15\n    environment: {A: "1"}\n',
    'compose.yaml': 'include: [other.yaml]\nservices:\n  db:\n    environment: !override {B: "2"}\n',
  });
  assert.equal(p.services.db!.environment, { B: '2' });
});

test('extends: the rest of the target file is not validated; a null base service is empty', () => {
  const p = load({
    'base.yaml': 'services:\n  base:\n    image: base\n  nil:\n  odd:\n    ports: {not: a list}\n',
    'compose.yaml': 'services:\n  a:\n    extends: {file: base.yaml, service: base}\n  b:\n    image: b\n    extends: {file: base.yaml, service: nil}\n',
  });
  assert.is(p.services.a!.image, 'base');
  assert.is(p.services.b!.image, 'b');
});

test('extends: the service taken from the target is checked in the merged result, with a position', () => {
  try {
    load({
      'base.yaml': 'services:\n  odd:\n    image: x\n    ports: {not: a list}\n',
      'compose.yaml': 'services:\n  a:\n    extends: {file: base.yaml, service: odd}\n',
    });
    assert.unreachable('loaded');
  } catch (err) {
    assert.instance(err, SpecError);
    assert.is((err as SpecError).path, 'services.a.ports');
    assert.ok((err as SpecError).position?.line !== undefined);
  }
});

test.run();
