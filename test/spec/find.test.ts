// Which .env files feed interpolation, as docker compose reads them: the one where it starts
// (the first -f file's directory, else the current one), then the project directory's for
// what the first did not set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from '../../src/spec/find.js';

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

test.run();
