// A background monitor (the shim copying a container's output) runs at nice 19 while its container runs, so containers
// logging flat out cannot starve berth's terminal UI; the container it cloned keeps nice 0.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { containerPaths } from '../../src/runtime/layout.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

/** The nice value in /proc/PID/stat (field 19; the fields after the command's closing parenthesis). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

if (!skipUnlessKernel('monitor priority', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  let h!: Harness;
  test.before(() => {
    h = makeHarness('prio');
  });
  test.after(async () => {
    await h.teardown();
  });

  test('the monitor of a created container runs at nice 19, the container at nice 0', async () => {
    const id = h.nextId();
    try {
      await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['true'] } });
      const state = JSON.parse(readFileSync(containerPaths(h.rt, id).state, 'utf8')) as { pid: number; shimPid: number };
      assert.is(niceOf(state.shimPid), 19, 'the monitor');
      assert.is(niceOf(state.pid), 0, 'the container');
    } finally {
      await deleteContainer(h.rt, id, { force: true }).catch(() => undefined);
    }
  });

  test('nothing of berth is left on the host', () => {
    assert.equal(findLeaks(h.roots.tag), []);
  });
  test.run();
}
