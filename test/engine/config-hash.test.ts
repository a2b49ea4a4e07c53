import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configHash, canonicalJson } from '../../src/engine/config-hash.js';
import { svc } from './fixture.js';

test('canonical JSON sorts keys at every level', () => {
  assert.is(canonicalJson({ b: 1, a: { d: 2, c: [{ z: 1, y: 2 }] } }), '{"a":{"c":[{"y":2,"z":1}],"d":2},"b":1}');
});

test('hash ignores build, scale, depends_on, profiles, deploy.replicas', () => {
  const base = svc('web', { command: ['httpd'] });
  const h = configHash(base);
  assert.is(configHash({ ...base, scale: 3 }), h);
  assert.is(configHash({ ...base, profiles: ['dev'] }), h);
  assert.is(configHash({ ...base, depends_on: { db: { condition: 'service_started', restart: false, required: true } } }), h);
  assert.is(configHash({ ...base, build: { context: '/x' } }), h);
  assert.is(configHash({ ...base, deploy: { replicas: 4 } }), h);
});

test('hash changes with settings that shape the container', () => {
  const base = svc('web', { command: ['httpd'] });
  const h = configHash(base);
  assert.is.not(configHash({ ...base, command: ['httpd', '-f'] }), h);
  assert.is.not(configHash({ ...base, environment: { A: '1' } }), h);
  assert.is.not(configHash({ ...base, image: 'busybox:1.37' }), h);
  assert.is.not(configHash({ ...base, deploy: { resources: { limits: { memory: 1 } } } }), h);
  assert.match(h, /^[0-9a-f]{64}$/);
});

test('key order does not change the hash', () => {
  assert.is(configHash({ a: 1, b: 2 }), configHash({ b: 2, a: 1 }));
});

test.run();
