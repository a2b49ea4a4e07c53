// The cgroup v2 path for real where the host has a cgroup2 hierarchy (on a hybrid host:
// /sys/fs/cgroup/unified, with or without controllers): clone3(CLONE_INTO_CGROUP), the
// eBPF device filter, freeze, removal. Limits need controllers, so they are checked only
// when the hierarchy has them.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { makeHarness, safeTest, type Harness } from './harness.js';

// failures as plain Errors: uvu's reporter chokes on BerthError.details
const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

const candidates = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'];
const v2root = candidates.find((c) => existsSync(join(c, 'cgroup.controllers')));

if (!skipUnlessKernel('runtime cgroup v2', () => (v2root ? undefined : 'no cgroup2 hierarchy on this host'))) {
  let h!: Harness;
  test.before(() => {
    h = makeHarness('cg2', { BERTH_CGROUP_ROOT: v2root! });
  });
  test.after(async () => {
    await h.teardown();
  });
  test('the container lands in berth/<id> of the v2 hierarchy', async () => {
    const r = await h.sh('cat /proc/self/cgroup');
    assert.match(r.stdout, /^0::\/$/m, r.stdout + r.stderr); // its own cgroup namespace root
  });
  test('the eBPF device filter allows the default devices and refuses others', async () => {
    const r = await h.sh(
      'head -c0 /dev/null && echo null; echo x > /dev/zero && echo zero; mknod /tmp/sda b 8 0; head -c1 /tmp/sda >/dev/null 2>&1 || echo disk-denied; mknod /tmp/vda b 253 0; head -c1 /tmp/vda >/dev/null 2>&1 || echo vda-denied',
    );
    assert.is(r.stdout, 'null\nzero\ndisk-denied\nvda-denied\n', r.stderr);
  });
  test('a device given with devices: passes the filter', async () => {
    if (!existsSync('/dev/fuse')) return;
    assert.is((await h.sh('head -c0 /dev/fuse && echo ok', { devices: [{ hostPath: '/dev/fuse' }] })).stdout, 'ok\n');
  });
  test('memory limit and OOM where the hierarchy has the memory controller', async () => {
    if (!readFileSync(join(v2root!, 'cgroup.controllers'), 'utf8').includes('memory')) return;
    const r = await h.sh('x=$(head -c 200m /dev/zero | tr "\\0" a); echo survived', { resources: { memory: 16 << 20, memorySwap: 16 << 20 } });
    assert.is(r.exitCode, 137);
    assert.ok(r.oomKilled);
  });
  test('nothing is left', async () => {
    await h.teardown();
    assert.equal(findLeaks(h.roots.tag), []);
    assert.not.ok(existsSync(join(v2root!, 'berth', `bth${h.roots.tag}-1`)));
  });
  test.run();
}
