import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseReference } from '../../src/image/reference.js';
import { BerthError } from '../../src/errors.js';

const D = `sha256:${'a'.repeat(64)}`;

const cases: [string, string, string][] = [
  ['redis', 'docker.io/library/redis:latest', 'redis:latest'],
  ['redis:7', 'docker.io/library/redis:7', 'redis:7'],
  ['library/redis:7', 'docker.io/library/redis:7', 'redis:7'],
  ['docker.io/redis', 'docker.io/library/redis:latest', 'redis:latest'],
  ['index.docker.io/library/redis:7', 'docker.io/library/redis:7', 'redis:7'],
  ['org/app', 'docker.io/org/app:latest', 'org/app:latest'],
  ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
  ['localhost:5000/app:1', 'localhost:5000/app:1', 'localhost:5000/app:1'],
  ['127.0.0.1:5000/a/b/c:v1.2-rc_3', '127.0.0.1:5000/a/b/c:v1.2-rc_3', '127.0.0.1:5000/a/b/c:v1.2-rc_3'],
  ['ghcr.io/org/app@' + D, 'ghcr.io/org/app@' + D, 'ghcr.io/org/app@' + D],
  ['redis:7@' + D, 'docker.io/library/redis:7@' + D, 'redis:7@' + D],
  ['redis@' + D, 'docker.io/library/redis@' + D, 'redis@' + D],
  ['Registry.Example/app', 'Registry.Example/app:latest', 'Registry.Example/app:latest'],
  ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
  ['a__b/c-d.e', 'docker.io/a__b/c-d.e:latest', 'a__b/c-d.e:latest'],
];

for (const [input, canonical, familiar] of cases) {
  test(`parses ${input}`, () => {
    const r = parseReference(input);
    assert.is(r.canonical, canonical);
    assert.is(r.familiar, familiar);
  });
}

test('digest-only references have no tag', () => {
  const r = parseReference('busybox@' + D);
  assert.is(r.tag, undefined);
  assert.is(r.digest, D);
  assert.is(r.repository, 'library/busybox');
});

const bad = ['', 'Redis', 'redis:', 'redis:-x', ':tag', 'a//b', 'redis@sha256:abc', 'a b', '/redis', 'redis/', 'redis:' + 'x'.repeat(129), 'a..b/c', 'redis@md5'];
for (const input of bad) {
  test(`refuses ${JSON.stringify(input)}`, () => {
    try {
      parseReference(input);
      assert.unreachable(`accepted ${input}`);
    } catch (err) {
      assert.instance(err, BerthError);
      assert.is((err as BerthError).code, 'image/invalid-reference');
      assert.ok((err as BerthError).message.includes('invalid image reference'));
    }
  });
}

test.run();
