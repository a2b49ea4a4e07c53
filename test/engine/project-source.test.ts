import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pickServices } from '../../src/engine/project-source.js';
import { BerthError } from '../../src/errors.js';
import { svc, project, dep } from './fixture.js';

const p = project('p', [svc('db'), svc('app', { depends_on: { db: dep('service_started') } })]);

test('up SERVICE picks its dependencies; --no-deps only the named services', () => {
  assert.equal(pickServices(p, ['app']).names, ['app', 'db']);
  assert.equal(pickServices(p, ['app'], true).names, ['app']);
});

test('an unknown service is a clear no such service error, with or without --no-deps', () => {
  for (const noDeps of [false, true]) {
    try {
      pickServices(p, ['nope'], noDeps);
      assert.unreachable('should throw');
    } catch (err) {
      assert.ok(err instanceof BerthError);
      assert.is(err.code, 'engine/no-such-service');
      assert.is(err.message, 'no such service: nope');
      assert.is(err.hint, 'services: app, db');
    }
  }
});

test.run();
