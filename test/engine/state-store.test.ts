import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../src/engine/state-store.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-state-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('records survive a new reader (another process), written atomically', () => {
  const a = new StateStore(join(dir, 'p'), 'p');
  assert.is(a.read(), undefined);
  a.setContainer('p-web-1', { id: 'p-web-1', service: 'web', number: 1, phase: 'creating' });
  a.setResource('networks', 'default', { key: 'default', name: 'p_default', external: false, phase: 'created' });
  const b = new StateStore(join(dir, 'p'), 'p');
  const r = b.read()!;
  assert.is(r.containers['p-web-1']!.phase, 'creating');
  assert.is(r.networks.default!.name, 'p_default');
  b.setContainer('p-web-1', undefined);
  assert.equal(new StateStore(join(dir, 'p'), 'p').read()!.containers, {});
  assert.equal(
    readdirSync(join(dir, 'p')).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a corrupt file is a clear error', () => {
  writeFileSync(join(dir, 'bad.json'), '{');
  const s = new StateStore(dir, 'bad');
  Object.defineProperty(s, 'file', { get: () => join(dir, 'bad.json') });
  assert.throws(() => s.read(), /state file .* is corrupt: not valid JSON/);
});

test('status files', () => {
  const s = new StateStore(join(dir, 'q'), 'q');
  s.writeStatus('c1', { restarts: 2 });
  assert.equal(s.readStatus('c1'), { restarts: 2 });
  s.writeStatus('c1', undefined);
  assert.is(s.readStatus('c1'), undefined);
});

test.run();
