// Docker's restart at the runtime level: deleteContainer(keepLayer) + createContainer(reuseLayer)
// runs the same container again on its writable layer; writeHostsFile before the start.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer, startContainer, writeHostsFile } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { readLogs } from '../../src/runtime/logs.js';
import { waitContainer } from '../../src/runtime/wait.js';
import type { ContainerConfig } from '../../src/runtime/types.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

if (!skipUnlessKernel('runtime restart', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  let h!: Harness;
  test.before(() => {
    h = makeHarness('rst');
  });
  test.after(async () => {
    await h.teardown();
  });

  const SCRIPT = 'if [ -f /kept ]; then echo "again $(cat /kept)"; else echo first > /kept; echo fresh; fi';

  async function runOnce(config: ContainerConfig, reuseLayer: boolean): Promise<string> {
    await createContainer(h.rt, config, { reuseLayer });
    await startContainer(h.rt, config.id);
    await waitContainer(h.rt, config.id, { timeoutMs: 30_000 });
    let out = '';
    for await (const l of readLogs(h.rt, config.id)) if (l.stream === 'stdout') out += l.text;
    return out.trim();
  }

  for (const userns of [false, true]) {
    test(`keepLayer + reuseLayer: same id, the rw layer survives, the previous run's state and log go${userns ? ' (userns auto: same id block)' : ''}`, async () => {
      if (userns) chmodSync(join(h.roots.root, '..'), 0o711);
      const id = h.nextId();
      const config: ContainerConfig = { id, rootfs: { dir: h.rootfs }, ...(userns ? { userns: 'auto' as const } : {}), process: { args: ['sh', '-c', SCRIPT] } };
      try {
        assert.is(await runOnce(config, false), 'fresh');
        const lease = userns ? readdirSync(join(h.rt.root, 'userns')) : [];
        await deleteContainer(h.rt, id, { force: true, keepLayer: true });
        const dir = join(h.rt.root, 'containers', id);
        assert.ok(existsSync(join(dir, 'upper', 'kept')), 'rw layer kept');
        for (const f of ['state.json', 'exit.json', 'container.log']) assert.not.ok(existsSync(join(dir, f)), `${f} of the previous run removed`);
        assert.not.ok(existsSync(join(h.rt.run, 'containers', id)), 'run dir removed');
        assert.is(await runOnce(config, true), 'again first', "the second run sees the first one's file (and only its own log)");
        if (userns) assert.equal(readdirSync(join(h.rt.root, 'userns')), lease, 'same id block');
        // without reuseLayer an existing container is still a name clash
        await deleteContainer(h.rt, id, { force: true, keepLayer: true });
        let code = '';
        await createContainer(h.rt, config).catch((err: { code?: string }) => (code = err.code ?? ''));
        assert.is(code, 'runtime/name-in-use');
      } finally {
        await deleteContainer(h.rt, id, { force: true });
      }
      assert.not.ok(existsSync(join(h.rt.root, 'containers', id)), 'a plain delete removes everything');
      if (userns) assert.equal(readdirSync(join(h.rt.root, 'userns')), [], 'lease released');
    });
  }

  test('writeHostsFile before the start: the service reads the new /etc/hosts', async () => {
    const id = h.nextId();
    try {
      await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, process: { args: ['cat', '/etc/hosts'] } });
      writeHostsFile(h.rt, id, '127.0.0.1\tlocalhost\n10.1.2.3\tweb\n');
      await startContainer(h.rt, id);
      await waitContainer(h.rt, id, { timeoutMs: 30_000 });
      let out = '';
      for await (const l of readLogs(h.rt, id)) out += l.text;
      assert.is(out, '127.0.0.1\tlocalhost\n10.1.2.3\tweb\n');
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  });

  test('nothing left behind', () => {
    assert.equal(findLeaks(h.roots.tag), []);
    assert.equal(findLeaks(h.roots.root), []);
  });
  test.run();
}
