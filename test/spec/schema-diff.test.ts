// Differential check against the Compose Specification's JSON schema (ajv): every
// fixture berth accepts validates there too, and every fixture berth rejects for a schema
// reason (`err-schema-*`) is rejected there too. Skipped when the schema is absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { listFixtures, schemaPath } from './compose-fixtures.js';
import { parseYaml } from '../../src/spec/yaml.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(n) && !n.startsWith('expected') ? [p] : [];
  });
}

if (!existsSync(schemaPath)) {
  console.log(`# skip: schema differential test: ${schemaPath} not found`);
} else {
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
  // the file names draft-07 by its https URL, which ajv does not register; it is draft-07
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  const validate = ajv.compile(schema);
  const check = (file: string, text: string): { ok: boolean; why: string } => {
    const value = parseYaml(text, file).value ?? {};
    const ok = validate(value) as boolean;
    return { ok, why: ok ? '' : ajv.errorsText(validate.errors) };
  };
  const fixtures = listFixtures();
  let accepted = 0;
  let rejected = 0;
  for (const f of fixtures) {
    const sources = yamlFiles(f.dir).map((p) => ({ file: p, text: readFileSync(p, 'utf8') }));
    if (f.stdin !== undefined) sources.push({ file: join(f.dir, 'stdin'), text: f.stdin });
    if (f.expected !== undefined) {
      accepted++;
      test(`schema accepts ${f.name}`, () => {
        for (const s of sources) {
          const r = check(s.file, s.text);
          assert.ok(r.ok, `${s.file}: ${r.why}`);
        }
      });
    } else if (f.name.startsWith('err-schema-')) {
      rejected++;
      test(`schema rejects ${f.name}`, () => {
        assert.ok(
          sources.some((s) => !check(s.file, s.text).ok),
          'the schema accepts what berth rejects',
        );
      });
    }
  }
  test('the differential covers both sides', () => {
    assert.ok(accepted >= 40, `only ${accepted} accepted fixtures`);
    assert.ok(rejected >= 5, `only ${rejected} schema-rejected fixtures`);
  });
}

test.run();
