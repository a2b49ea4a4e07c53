// CVE-2019-5736: every shim (the container's monitor, and the image its init is cloned from)
// runs from a sealed memfd copy, never from the host binary. A process starting several
// containers starts the later shims from the sealed copy it kept (create.ts): still sealed.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { containerPaths } from '../../src/runtime/layout.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

if (!skipUnlessKernel('sealed shim', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  let h!: Harness;
  test.before(() => {
    h = makeHarness('seal');
  });
  test.after(async () => {
    await h.teardown();
  });

  test('the first and the later shims of one process run from a sealed memfd', async () => {
    const ids = [h.nextId(), h.nextId(), h.nextId()];
    try {
      for (const id of ids) {
        // created, not started: the monitor and the init (at its start gate) both exist
        await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['true'] } });
        const state = JSON.parse(readFileSync(containerPaths(h.rt, id).state, 'utf8')) as { pid: number; shimPid: number };
        for (const pid of [state.shimPid, state.pid]) {
          assert.is(readlinkSync(`/proc/${pid}/exe`), '/memfd:berth-shim (deleted)', `container ${id}, pid ${pid}`);
        }
      }
    } finally {
      for (const id of ids) await deleteContainer(h.rt, id, { force: true }).catch(() => undefined);
    }
  });

  test('nothing of berth is left on the host', () => {
    assert.equal(findLeaks(h.roots.tag), []);
  });
  test.run();
}
