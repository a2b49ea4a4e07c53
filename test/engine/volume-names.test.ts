// The volume store refuses names that are not plain names, whatever the loader let through
// (issue #12 class 10): nothing outside $BERTH_ROOT/volumes is created or removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureVolume, listVolumes, removeVolume } from '../../src/engine/volumes.js';
import { BerthError } from '../../src/errors.js';

const BAD = ['../../canary', '..', '.', 'a/b', '/abs', '.hidden', '-x', '', 'a\0b'];

test('ensureVolume and removeVolume refuse names that are paths; the canary stays', () => {
  const base = mkdtempSync(join(tmpdir(), 'berth-volnames-'));
  try {
    const paths = { root: join(base, 'root'), run: join(base, 'run') };
    mkdirSync(join(base, 'canary'), { recursive: true });
    writeFileSync(join(base, 'canary', 'keep'), 'canary');
    for (const name of BAD) {
      for (const op of [() => ensureVolume(paths, name, 'p'), () => removeVolume(paths, name)]) {
        try {
          op();
          assert.unreachable(`${JSON.stringify(name)} accepted`);
        } catch (err) {
          assert.instance(err, BerthError);
          assert.is((err as BerthError).code, 'volume/invalid-name');
          assert.not.match((err as Error).message, /\n/);
        }
      }
    }
    assert.ok(existsSync(join(base, 'canary', 'keep')));
    assert.not.ok(existsSync(join(base, 'canary', 'volume.json')));
    assert.ok(ensureVolume(paths, 'p_data.1', 'p'));
    mkdirSync(join(paths.root, 'volumes', '..weird'));
    assert.equal(
      listVolumes(paths).map((v) => v.name),
      ['p_data.1'],
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test.run();
