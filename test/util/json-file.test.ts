import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasFields, readJsonFile, readJsonFileAsync, writeJsonFile, writeJsonFileAsync } from '../../src/util/json-file.js';
import { isBerthError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-json-file-'));
const isRec = (v: unknown): v is { name: string; n: number } => hasFields(v, { name: 'string', n: 'number' });

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('written whole through a temp file beside it (none left), read back with its shape', async () => {
  const f = join(dir, 'a.json');
  writeJsonFile(f, { name: 'x', n: 1 }, { mode: 0o600 });
  assert.equal(readJsonFile(f, isRec, 'test/corrupt'), { name: 'x', n: 1 });
  assert.is(statSync(f).mode & 0o777, 0o600);
  await writeJsonFileAsync(f, { name: 'y', n: 2 }, { indent: 2 });
  assert.equal(await readJsonFileAsync(f, isRec, 'test/corrupt'), { name: 'y', n: 2 });
  assert.is(readFileSync(f, 'utf8'), '{\n  "name": "y",\n  "n": 2\n}\n');
  assert.equal(readdirSync(dir), ['a.json']);
});

test('a missing file is undefined', () => {
  assert.is(readJsonFile(join(dir, 'none.json'), isRec, 'test/corrupt'), undefined);
});

test('a torn or foreign file is a typed error naming it', () => {
  const f = join(dir, 'bad.json');
  for (const [content, why] of [
    ['{"name": "x", "n"', /not valid JSON/],
    ['{"name": 3}', /not the record berth writes there/],
  ] as const) {
    writeFileSync(f, content);
    try {
      readJsonFile(f, isRec, 'test/corrupt');
      assert.unreachable('read a corrupt file');
    } catch (err) {
      assert.ok(isBerthError(err) && err.code === 'test/corrupt', String(err));
      assert.ok((err as Error).message.includes(f));
      assert.match((err as Error).message, why);
    }
  }
});

test.run();
