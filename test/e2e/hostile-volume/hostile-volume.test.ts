// Issue #12 class 10: a volume named `../../canary` must not make `up` write, or `down -v`
// remove, anything outside $BERTH_ROOT/volumes. The canary sits where that name points.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e hostile volume name')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('a volume name with ../ is refused by up (positioned) and never reaches outside the store', async () => {
    s = await makeStack('hostile-volume');
    const canary = join(s.roots.root, 'volumes', '..', '..', 'canary');
    mkdirSync(canary, { recursive: true });
    writeFileSync(join(canary, 'keep'), 'canary');
    const up = await s.berth(['up', '-d']);
    assert.is.not(up.code, 0, `up accepted the volume: ${up.out}${up.err}`);
    assert.match(up.err, /volumes\.evil\.name/);
    assert.match(up.err, /compose\.yaml:\d+:\d+/);
    assert.is(up.err.trim().split('\n').length, 1, up.err);
    // down reads the same file: it refuses it too (or, past the loader, the store refuses)
    const down = await s.berth(['down', '-v']);
    if (down.code !== 0) assert.match(down.err, /volumes\.evil\.name|volume\/invalid-name/);
    assert.ok(existsSync(join(canary, 'keep')), 'down -v removed a directory outside the volume store');
    assert.not.ok(existsSync(join(canary, 'volume.json')), 'up wrote a volume record outside the volume store');
  });

  test.run();
}
