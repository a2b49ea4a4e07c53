import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unpackLayer } from '../../src/image/unpack.js';
import { BerthError } from '../../src/errors.js';
import { makeTestRoots, skipUnlessKernel } from '../helpers/kernel.js';
import { hostileCorpus } from './hostile-corpus.js';

const skip = skipUnlessKernel('image unpack (hostile tar corpus)');
const roots = makeTestRoots('unpack-hostile');

function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${p} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${st.isFile() ? readFileSync(p, 'utf8') : ''}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.join('\n');
}

async function* chunks(b: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += 700) yield b.subarray(i, i + 700);
}

if (!skip) {
  const base = join(roots.root, 'h');
  const outside = join(base, 'outside');
  const cases = hostileCorpus(outside);

  test('the corpus has at least 12 cases', () => {
    assert.ok(cases.length >= 12, `${cases.length} cases`);
  });

  for (const c of cases) {
    test(`refused: ${c.name}`, async () => {
      rmSync(base, { recursive: true, force: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'victim'), 'original\n');
      const target = join(base, 'layer', 'diff');
      mkdirSync(target, { recursive: true });
      const before = snapshot(base.replace(/\/h$/, '')).split('\n').filter((l) => !l.includes('/layer')).join('\n');
      let err: unknown;
      try {
        await unpackLayer(chunks(c.tar), target, { what: 'image hostile:test layer 1' });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof BerthError, `expected a refusal, got ${String(err)}`);
      const e = err as BerthError;
      assert.ok(['image/unsafe-layer', 'image/invalid-tar'].includes(e.code), e.code);
      assert.ok(e.message.includes(c.mentions), `message "${e.message}" should mention ${c.mentions}`);
      if (e.code === 'image/unsafe-layer') assert.ok(e.message.includes('image hostile:test'), e.message);
      const after = snapshot(base.replace(/\/h$/, '')).split('\n').filter((l) => !l.includes('/layer')).join('\n');
      assert.is(after, before, 'nothing outside the layer dir changed');
      assert.is(readFileSync(join(outside, 'victim'), 'utf8'), 'original\n');
    });
  }
}

test.after(() => roots.cleanup());
test.run();
