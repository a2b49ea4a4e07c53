// Compose loader (issue 12 fuzzing): any compose text (random text, random YAML-able values,
// compose-shaped documents with random values) ends in a Project or a typed error (SpecError
// / BerthError with a one-line message), never another exception or a hang.
import { test } from 'uvu';
import * as fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '../../src/spec/index.js';
import { fuzzParams, valueOrTyped } from '../helpers/fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-fuzz-spec-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const load = (text: string): unknown => loadProjectSync({ files: ['-'], env: { HOME: dir, X: 'x' }, cwd: dir }, text);

const SERVICE_KEYS = [
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'volumes',
  'networks',
  'depends_on',
  'healthcheck',
  'deploy',
  'restart',
  'user',
  'working_dir',
  'labels',
  'secrets',
  'configs',
  'extends',
  'profiles',
  'ulimits',
  'sysctls',
  'tmpfs',
  'extra_hosts',
  'dns',
  'cap_add',
  'devices',
  'logging',
  'network_mode',
  'pid',
  'init',
  'scale',
  'stop_grace_period',
  'mem_limit',
  'cpus',
  'develop',
  'expose',
  'volumes_from',
  'links',
  'post_start',
  'x-ext',
] as const;
const TOP_KEYS = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'x-top', 'version'] as const;
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('${X}', '$${X}', '${X:?need}', '80:80', './a:/b:ro', '1g', '10s', 'host', 'service:web'),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 3 }));
const service = fc.dictionary(fc.constantFrom(...SERVICE_KEYS), value, { maxKeys: 6 });
const document = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('p')),
    services: fc.oneof(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), service, { maxKeys: 3 }), value),
    networks: value,
    volumes: value,
    secrets: value,
    configs: value,
    include: value,
  },
  { requiredKeys: [] },
);

/** Mostly valid: every service has an image and up to three random keys (~1 in 6 loads). */
const plausible = fc.record({
  services: fc.dictionary(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    fc
      .dictionary(fc.constantFrom(...SERVICE_KEYS), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 })), { maxKeys: 3 })
      .map((svc) => ({ image: 'busybox', ...svc })),
    { minKeys: 1, maxKeys: 3 },
  ),
});

test('random text: a project or a typed error', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => valueOrTyped(() => load(text))),
    fuzzParams(),
  );
});

test('random values as a document: a project or a typed error', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...TOP_KEYS), value, { maxKeys: 4 }), (doc) => valueOrTyped(() => load(JSON.stringify(doc)))),
    fuzzParams(),
  );
});

test('compose-shaped documents with random values: a project or a typed error', () => {
  fc.assert(
    fc.property(document, (doc) => valueOrTyped(() => load(JSON.stringify(doc)))),
    fuzzParams(),
  );
});

test('plausible projects (images and a few random keys): a project or a typed error', () => {
  fc.assert(
    fc.property(plausible, (doc) => valueOrTyped(() => load(JSON.stringify(doc)))),
    fuzzParams(),
  );
});

test.run();
