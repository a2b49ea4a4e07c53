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

  test('fuzz: 300 randomly damaged archives never write outside and fail only with BerthErrors', async () => {
    const { tarBuffer } = await import('../../src/image/tar-writer.js');
    const good = tarBuffer([
      { name: 'a/', type: 'directory', mode: 0o755 },
      { name: 'a/f', type: 'file', mode: 0o644, data: 'hello world\n'.repeat(50) },
      { name: 'a/l', type: 'symlink', mode: 0o777, linkname: '../../..' },
      { name: 'a/h', type: 'hardlink', mode: 0o644, linkname: 'a/f' },
      { name: `${'n'.repeat(120)}`, type: 'file', mode: 0o644, data: 'x' },
    ]);
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    rmSync(base, { recursive: true, force: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'victim'), 'original\n');
    const before = snapshot(outside);
    for (let i = 0; i < 300; i++) {
      const t = Buffer.from(good);
      for (let k = 0; k < 1 + rnd(4); k++) t[rnd(t.length)] = rnd(256);
      const target = join(base, 'fz', String(i));
      mkdirSync(target, { recursive: true });
      try {
        await unpackLayer(chunks(t), target, { what: 'image fuzz' });
      } catch (e) {
        assert.ok(e instanceof BerthError, `case ${i}: ${String(e)}`);
      }
    }
    assert.is(snapshot(outside), before);
  });

  for (const c of cases) {
    test(`refused (native unpacker): ${c.name}`, async () => {
      rmSync(base, { recursive: true, force: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'victim'), 'original\n');
      const target = join(base, 'layer', 'diff');
      mkdirSync(target, { recursive: true });
      const before = snapshot(base.replace(/\/h$/, ''))
        .split('\n')
        .filter((l) => !l.includes('/layer'))
        .join('\n');
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
      assert.not.match(e.message, /[\n\r]/, 'a one-line message');
      if (e.code === 'image/unsafe-layer') assert.ok(e.message.includes('image hostile:test'), e.message);
      const after = snapshot(base.replace(/\/h$/, ''))
        .split('\n')
        .filter((l) => !l.includes('/layer'))
        .join('\n');
      assert.is(after, before, 'nothing outside the layer dir changed');
      assert.is(readFileSync(join(outside, 'victim'), 'utf8'), 'original\n');
    });
  }
}

test.after(() => roots.cleanup());
test.run();
