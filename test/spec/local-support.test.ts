// The local engine's key table (src/spec/local-support.ts): `enforce` (up, create, run)
// refuses with a positioned error where `warn` (config, fixtures/compose/local-*) names the
// key; warned keys warn once with file:line; applied keys are silent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadProjectSync, type SpecWarning } from '../../src/spec/index.js';
import { SpecError } from '../../src/errors.js';
import { fixturesDir } from './compose-fixtures.js';

function load(fixture: string, mode: 'warn' | 'enforce'): SpecWarning[] {
  const warnings: SpecWarning[] = [];
  loadProjectSync({ cwd: join(fixturesDir, fixture), env: { HOME: '/home/tester' }, localEngine: mode, onWarning: (w) => warnings.push(w) });
  return warnings;
}

test('enforce: a foreign platform, a macvlan network, nfs and driver volumes are refused with a position', () => {
  try {
    load('local-refused', 'enforce');
    assert.unreachable('loaded');
  } catch (err) {
    assert.instance(err, SpecError);
    const e = err as SpecError;
    assert.is(e.code, 'spec/unsupported');
    assert.match(e.message, /^platform linux\/s390x cannot run on this \S+ host/);
    assert.is(e.path, 'services.app.platform');
    assert.ok(e.position?.line !== undefined, 'positioned');
  }
});

test('warn: every refused key is named, nothing thrown', () => {
  const w = load('local-refused', 'warn').map((x) => x.message);
  assert.is(w.length, 4);
  assert.ok(w.every((m) => m.includes('berth up refuses this')));
});

test('enforce: warned keys warn once each with their line, and loading goes on', () => {
  const w = load('local-not-applied', 'enforce');
  assert.is(w.length, 24);
  assert.is(new Set(w.map((x) => x.message)).size, w.length);
  assert.ok(w.every((x) => x.line !== undefined && x.code === 'spec/not-applied'));
  const userns = w.find((x) => x.message.includes('services.app.userns_mode'))!;
  assert.is(userns.line, 5);
});

test('applied keys say nothing (devices, group_add, logging rotation, oom_score_adj, links, the host platform)', () => {
  assert.equal(load('devices', 'enforce'), []);
  assert.equal(load('logging', 'enforce'), []);
});

test('off by default: deploy targets load the same file without these checks', () => {
  const warnings: SpecWarning[] = [];
  loadProjectSync({ cwd: join(fixturesDir, 'local-refused'), env: { HOME: '/home/tester' }, onWarning: (w) => warnings.push(w) });
  assert.equal(warnings, []);
});

test.run();
