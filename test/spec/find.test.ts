// Which .env files feed interpolation, as docker compose reads them: the one where it starts
// (the first -f file's directory, else the current one), then the project directory's for
// what the first did not set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from '../../src/spec/find.js';
import { loadProjectSync } from '../../src/spec/index.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-find-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'compose.yaml'), 'services: {}\n');
writeFileSync(join(dir, '.env'), 'ROOT=root\nWIN=root\n');
writeFileSync(join(dir, 'sub', '.env'), 'SUB=sub\nWIN=sub\nCOMPOSE_PROFILES=dev\n');

test('discovered upwards: the .env where it starts wins, the project one adds the rest', () => {
  const l = locate({ cwd: join(dir, 'sub'), env: { HOME: '/h' } });
  assert.equal(l.files, [join(dir, 'compose.yaml')]);
  assert.equal({ ROOT: l.environment.ROOT, SUB: l.environment.SUB, WIN: l.environment.WIN, P: l.environment.COMPOSE_PROFILES }, { ROOT: 'root', SUB: 'sub', WIN: 'sub', P: 'dev' });
});

test('-f: the file directory .env, not the current directory one; the shell wins over both', () => {
  const l = locate({ cwd: join(dir, 'sub'), files: ['../compose.yaml'], env: { HOME: '/h', ROOT: 'shell' } });
  assert.is(l.environment.WIN, 'root');
  assert.is(l.environment.SUB, undefined);
  assert.is(l.environment.ROOT, 'shell');
});

test('${VAR} inside a .env: the shell wins over a key set earlier in the same file (compose-go expandVariables)', () => {
  const d = join(dir, 'interp');
  mkdirSync(d);
  writeFileSync(join(d, 'compose.yaml'), 'services:\n  a:\n    image: x\n    environment:\n      IMAGE: "${IMAGE}"\n    env_file: [a.env]\n    label_file: [l.env]\n');
  writeFileSync(join(d, '.env'), 'WHEREAMI=EnvFile\nIMAGE=default_env:${WHEREAMI}\n');
  writeFileSync(join(d, 'a.env'), 'WHEREAMI=file\nFROM_FILE=${WHEREAMI}\n');
  writeFileSync(join(d, 'l.env'), 'L1=one\nL2=${L1}-${WHEREAMI}\n');
  const p = loadProjectSync({ cwd: d, env: { HOME: '/h', WHEREAMI: 'shell' }, projectName: 'p' });
  const a = p.services.a!;
  assert.is(a.environment.IMAGE, 'default_env:shell');
  assert.is(a.environment.FROM_FILE, 'shell', 'an env_file: the project environment first');
  assert.is(a.labels!.L2, 'one-', 'a label_file sees only labels read before');
});

test.run();
