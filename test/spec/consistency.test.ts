// compose-go's checkConsistency (loader/validate.go) as berth's loader stage, and the raw
// validation that leaves `${VAR}` values to be checked after interpolation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectSync } from '../../src/spec/index.js';
import { SpecError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-consistency-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string, env: Record<string, string> = {}): void {
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  loadProjectSync({ cwd: dir, env: { HOME: '/home/t', ...env }, projectName: 'p' });
}

function refusal(yaml: string, env: Record<string, string> = {}): SpecError {
  try {
    load(yaml, env);
  } catch (err) {
    assert.instance(err, SpecError);
    return err as SpecError;
  }
  throw new assert.Assertion({ message: 'loaded, expected a refusal', generated: false, operator: 'throws', expects: 'SpecError', actual: 'ok' });
}

const REFUSED: [string, string, string, string][] = [
  ['a service without image or build', 'services:\n  a:\n    command: x\n', 'services.a', 'has neither an image nor a build context'],
  [
    'platform outside build.platforms',
    'services:\n  a:\n    platform: linux/riscv64\n    build:\n      context: .\n      platforms: [linux/amd64]\n',
    'services.a.build.platforms',
    'MUST include service.platform "linux/riscv64"',
  ],
  ['dockerfile and dockerfile_inline', 'services:\n  a:\n    build:\n      dockerfile: D\n      dockerfile_inline: FROM x\n', 'services.a.build.dockerfile_inline', 'mutually exclusive'],
  [
    'additional_contexts naming an unknown service',
    'services:\n  a:\n    build:\n      context: .\n      additional_contexts:\n        base: service:nope\n',
    'services.a.build.additional_contexts.base',
    'unknown service "nope"',
  ],
  ['a healthcheck test that is no command kind', 'services:\n  a:\n    image: x\n    healthcheck:\n      test: [curl, x]\n', 'services.a.healthcheck.test', 'must start either by'],
  ['an undefined model', 'services:\n  a:\n    image: x\n    models: [llm]\n', 'services.a.models', 'undefined model llm'],
  ['container_name with replicas', 'services:\n  a:\n    image: x\n    container_name: one\n    scale: 2\n', 'services.a.container_name', "can't set container_name and scale"],
  [
    'cpus against deploy limits',
    "services:\n  a:\n    image: x\n    cpus: 1\n    deploy:\n      resources:\n        limits:\n          cpus: '2'\n",
    'services.a',
    "'cpus' and 'deploy.resources.limits.cpus'",
  ],
  [
    'cpus beside a deploy limits block without cpus (compose-go counts it as 0)',
    'services:\n  a:\n    image: x\n    cpus: 1\n    deploy:\n      resources:\n        limits:\n          memory: 1g\n',
    'services.a',
    "'cpus' and 'deploy.resources.limits.cpus'",
  ],
  ['a sync watch without target', 'services:\n  a:\n    image: x\n    develop:\n      watch:\n        - path: .\n          action: sync\n', 'services.a.develop.watch[0]', 'target is required'],
  ['two mounts on one target', 'services:\n  a:\n    image: x\n    tmpfs: [/data]\n    volumes: [./d:/data]\n', 'services.a.volumes[0]', 'target /data already mounted as services.a.tmpfs[0]'],
  ['an undefined build secret', 'services:\n  a:\n    build:\n      context: .\n      secrets: [nope]\n', 'services.a.build.secrets[0]', 'undefined build secret nope'],
  ['a secret with neither file nor environment', 'services:\n  a:\n    image: x\nsecrets:\n  s:\n    labels: {a: b}\n', 'secrets.s', 'must declare either `file` or `environment`'],
  ['an interpolated value that breaks a rule', 'services:\n  a:\n    image: x\n    container_name: ${NAME}\n', 'services.a.container_name', 'does not match the pattern'],
];

for (const [what, yaml, path, message] of REFUSED) {
  test(`refused with a position: ${what}`, () => {
    const err = refusal(yaml);
    assert.is(err.path, path);
    assert.ok(err.message.includes(message), err.message);
    assert.ok(err.position?.line !== undefined, err.toString());
  });
}

test('accepted: a provider service, models entries without options, pre_start init containers', () => {
  load(`services:
  a:
    image: x
    models:
      llm:
    pre_start:
      - image: busybox
        command: echo init
        per_replica: true
  ai:
    provider:
      type: model
models:
  llm:
    model: ai/example
`);
});

test('a ${VAR} value is checked after interpolation, not as written', () => {
  load('services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    external: true\n    name: ${VOL}\n', { VOL: 'e2e-ext-1' });
  const err = refusal('services:\n  a:\n    image: x\n    volumes: [v:/v]\nvolumes:\n  v:\n    external: true\n    name: ${VOL}\n', { VOL: '../x' });
  assert.is(err.path, 'volumes.v.name');
});

test('without interpolation a ${VAR} value stays as written and is not checked', () => {
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: x\n    container_name: ${NAME}\n');
  const p = loadProjectSync({ cwd: dir, env: { HOME: '/home/t' }, projectName: 'p', interpolate: false });
  assert.is(p.services.a!.container_name, '${NAME}');
});

test.run();
