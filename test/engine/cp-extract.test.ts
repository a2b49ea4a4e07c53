// berth cp's extractor against the hostile-tar corpus of the layer unpacker: every case
// is refused with a BerthError (or, for what cp never applies, such as overlay xattrs,
// harmlessly extracted) and nothing outside the destination changes. A plain archive
// lands with its links and modes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../../src/errors.js';
import { extractTar } from '../../src/engine/cp-extract.js';
import { tarBuffer } from '../../src/image/tar-writer.js';
import { SafeDir } from '../../src/util/safe-path/index.js';
import { hostileCorpus } from '../image/hostile-corpus.js';

const base = mkdtempSync(join(tmpdir(), 'berth-cp-extract-'));
const outside = join(base, 'outside');
const dest = join(base, 'dest');
test.after(() => rmSync(base, { recursive: true, force: true }));

async function* chunks(b: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += 700) yield b.subarray(i, i + 700);
}

const extract = (tar: Buffer): Promise<void> => extractTar(chunks(tar), { what: 'cp web:/x', archive: false, start: () => ({ root: SafeDir.open(dest), rename: (n) => n }) });

/** Applied by the layer unpacker only (cp copies no xattrs): harmless here. */
const NOT_APPLIED = new Set(['overlay redirect xattr']);

for (const c of hostileCorpus(outside)) {
  test(`cp refuses: ${c.name}`, async () => {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(outside, { recursive: true });
    mkdirSync(dest);
    writeFileSync(join(outside, 'victim'), 'original\n');
    const err = await extract(c.tar).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!NOT_APPLIED.has(c.name)) {
      assert.instance(err, BerthError, String(err));
      assert.ok((err as Error).message.includes(c.mentions), `"${(err as Error).message}" should mention ${c.mentions}`);
    }
    assert.equal(readdirSync(outside), ['victim']);
    assert.is(readFileSync(join(outside, 'victim'), 'utf8'), 'original\n');
  });
}

test('a plain archive lands with links, modes and nested dirs', async () => {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  await extract(
    tarBuffer([
      { name: 'd/', type: 'directory', mode: 0o750 },
      { name: 'd/f', type: 'file', mode: 0o640, data: 'F', size: 1 },
      { name: 'd/l', type: 'symlink', mode: 0o777, linkname: 'f' },
      { name: 'd/h', type: 'hardlink', mode: 0o640, linkname: 'd/f' },
      { name: 'd/e/deep', type: 'file', mode: 0o600, data: '', size: 0 },
    ]),
  );
  assert.is(readFileSync(join(dest, 'd/f'), 'utf8'), 'F');
  assert.is(lstatSync(join(dest, 'd/f')).mode & 0o777, 0o640);
  assert.is(lstatSync(join(dest, 'd')).mode & 0o777, 0o750);
  assert.is(readlinkSync(join(dest, 'd/l')), 'f');
  assert.is(lstatSync(join(dest, 'd/h')).ino, lstatSync(join(dest, 'd/f')).ino);
  assert.ok(lstatSync(join(dest, 'd/e/deep')).isFile());
});

test('a directory later replaced by a link is not an error at the end (and nothing is followed)', async () => {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(outside, { recursive: true });
  mkdirSync(dest);
  await extract(
    tarBuffer([
      { name: 'a/', type: 'directory', mode: 0o755 },
      { name: 'a/b/', type: 'directory', mode: 0o700 },
      { name: 'a', type: 'symlink', mode: 0o777, linkname: outside },
    ]),
  );
  assert.is(readlinkSync(join(dest, 'a')), outside);
  assert.equal(readdirSync(outside), []);
});

test.run();
