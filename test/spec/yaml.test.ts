import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYaml } from '../../src/spec/yaml.js';
import { SpecError } from '../../src/errors.js';

test('values keep their positions by tree path', () => {
  const p = parseYaml('services:\n  web:\n    ports:\n      - "80:80"\n      - 443\n', 'c.yaml');
  assert.equal(p.value, { services: { web: { ports: ['80:80', 443] } } });
  assert.equal(p.positions.get('services.web.ports[1]'), { line: 5, column: 9 });
  assert.equal(p.positions.get('services.web'), { line: 2, column: 3 });
});

test('anchors, aliases and merge keys', () => {
  const p = parseYaml('x: &a {image: i, user: u}\ny:\n  <<: *a\n  user: me\n', 'c.yaml');
  assert.equal(p.value, { x: { image: 'i', user: 'u' }, y: { image: 'i', user: 'me' } });
});

test('YAML 1.2 core scalars (yes stays a string, 0755 is octal)', () => {
  const p = parseYaml('a: yes\nb: true\nc: 0755\nd: 1.5\ne: ~\nf: "1"\ng: 0x10\n', 'c.yaml');
  assert.equal(p.value, { a: 'yes', b: true, c: 493, d: 1.5, e: null, f: '1', g: 16 });
});

test('!reset and !override are recorded by path', () => {
  const p = parseYaml('services:\n  web:\n    ports: !reset []\n    command: !override [a]\n', 'c.yaml');
  assert.ok(p.resets.has('services.web.ports'));
  assert.ok(p.overrides.has('services.web.command'));
});

test('syntax errors and duplicate keys carry file:line:column', () => {
  try {
    parseYaml('a: 1\na: 2\n', 'dup.yaml');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SpecError);
    assert.is((err as SpecError).toString(), 'dup.yaml:2:1: mapping key "a" already defined at line 1');
  }
  try {
    parseYaml('a:\n  b: 1\n   c: 2\n', 'bad.yaml');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SpecError);
    assert.match((err as SpecError).toString(), /^bad\.yaml:3:\d+: invalid YAML/);
  }
});

test.run();
