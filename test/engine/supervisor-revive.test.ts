import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { supervisorNeeded } from '../../src/engine/supervisor-client.js';
import { emptyRecord, type ProjectRecord } from '../../src/engine/state-store.js';
import type { ObservedContainer } from '../../src/engine/plan-types.js';

const c = (name: string, service: string, status: ObservedContainer['status'], oneoff = false): ObservedContainer => ({
  id: `${name}-id`,
  name,
  service,
  number: 1,
  hash: 'h',
  imageId: 'i',
  status,
  oneoff,
  dependsOn: [],
});

function record(entries: Record<string, { service: string; stoppedByUser?: boolean; phase?: 'created' | 'creating' }>, restart: Record<string, string>): ProjectRecord {
  const r = emptyRecord('p');
  return {
    ...r,
    containers: Object.fromEntries(
      Object.entries(entries).map(([n, e]) => [n, { id: `${n}-id`, service: e.service, number: 1, phase: e.phase ?? 'created', ...(e.stoppedByUser ? { stoppedByUser: true } : {}) }]),
    ),
    services: Object.fromEntries(Object.entries(restart).map(([s, p]) => [s, { restart: p }])),
  };
}

test('a supervisor is needed for running containers (DNS, health, restarts)', () => {
  assert.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web' } }, { web: 'no' }), containers: [c('p-web-1', 'web', 'running')] }));
  assert.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web' } }, { web: 'no' }), containers: [c('p-web-1', 'web', 'paused')] }));
});

test('exited containers need it only when a restart policy may bring them back', () => {
  const containers = [c('p-web-1', 'web', 'exited')];
  assert.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web' } }, { web: 'always' }), containers }));
  assert.not.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web' } }, { web: 'no' }), containers }));
  assert.not.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web', stoppedByUser: true } }, { web: 'always' }), containers }), 'stopped by the user');
});

test('nothing to look after: no record, created containers, containers being created', () => {
  assert.not.ok(supervisorNeeded({ record: undefined, containers: [c('p-web-1', 'web', 'running')] }));
  assert.not.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web' } }, { web: 'always' }), containers: [c('p-web-1', 'web', 'created')] }));
  assert.not.ok(supervisorNeeded({ record: record({ 'p-web-1': { service: 'web', phase: 'creating' } }, { web: 'always' }), containers: [c('p-web-1', 'web', 'running')] }));
});

test.run();
