// Randomized differential (fixed seed): mutate the fixture compose files (a value replaced,
// a key added or removed) and check that berth's shape rules and the Compose JSON schema
// (ajv) accept and reject the same documents. Skipped when the schema is absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { fixturesDir, schemaPath } from './compose-fixtures.js';
import { parseYaml } from '../../src/spec/yaml.js';
import { validateModel } from '../../src/spec/validate.js';

const ITERATIONS = 4000;

function composeDocs(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && !n.startsWith('expected')) {
        try {
          const v = parseYaml(readFileSync(p, 'utf8'), p).value;
          if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
        } catch {
          // fixtures with YAML errors on purpose
        }
      }
    }
  };
  walk(fixturesDir);
  return out;
}

if (!existsSync(schemaPath)) {
  console.log(`# skip: randomized schema differential: ${schemaPath} not found`);
} else {
  test('berth rules and the JSON schema agree on mutated documents', () => {
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, validateSchema: false }).compile(schema);
    const docs = composeDocs();
    let seed = 20261128;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const values: unknown[] = [1, -5, 1.5, 'str', '', true, false, null, [], ['a'], [1], {}, { a: 1 }, { 'x-a': 1 }, ['a', 'a'], 'service_started', 'bind', 70000];
    const paths = (v: unknown, p: (string | number)[] = []): (string | number)[][] => {
      const out = [p];
      if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...p, i])));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...p, k]));
      return out;
    };
    const disagreements: string[] = [];
    for (let i = 0; i < ITERATIONS && disagreements.length < 5; i++) {
      const doc = structuredClone(docs[rnd(docs.length)]!);
      const all = paths(doc).filter((p) => p.length > 0);
      if (all.length === 0) continue;
      const p = all[rnd(all.length)]!;
      let parent = doc as Record<string | number, unknown>;
      for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      const last = p[p.length - 1]!;
      const op = rnd(3);
      if (op === 0) parent[last] = structuredClone(values[rnd(values.length)]);
      else if (op === 1 && !Array.isArray(parent)) parent[`zz${rnd(3)}`] = structuredClone(values[rnd(values.length)]);
      else if (op === 2 && !Array.isArray(parent)) delete parent[last];
      else continue;
      const schemaOk = validate(doc) as boolean;
      const berthOk = validateModel(doc) === undefined;
      if (schemaOk !== berthOk) disagreements.push(`${p.join('.')}: schema ${schemaOk ? 'accepts' : 'rejects'}, berth ${berthOk ? 'accepts' : 'rejects'}`);
    }
    assert.equal(disagreements, []);
  });
}

test.run();
