// The v2 backend against a fake cgroupfs root (the root path is the seam).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupManager } from '../../../src/runtime/cgroups/manager.js';
import { sharesToWeight } from '../../../src/runtime/cgroups/v2.js';

function fakeRoot(controllers: string): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-cg2-'));
  writeFileSync(join(root, 'cgroup.controllers'), controllers);
  writeFileSync(join(root, 'cgroup.subtree_control'), '');
  return root;
}

test('detects v2 from cgroup.controllers and v1 otherwise', () => {
  assert.is(cgroupManager(fakeRoot('memory pids')).version, 2);
  assert.is(cgroupManager(mkdtempSync(join(tmpdir(), 'berth-cg1-'))).version, 1);
});
test('ensure enables controllers down the path and writes limits', () => {
  const root = fakeRoot('cpuset cpu io memory hugetlb pids');
  const m = cgroupManager(root);
  const p = m.ensure(
    'c1',
    { memory: 64 << 20, memorySwap: 96 << 20, memoryReservation: 32 << 20, cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512, cpuset: '0', pidsLimit: 20 },
    { privileged: false },
  );
  const leaf = join(root, 'berth', 'c1');
  const read = (f: string): string => readFileSync(join(leaf, f), 'utf8');
  assert.is(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8'), '+cpuset +cpu +io +memory +pids');
  assert.is(readFileSync(join(root, 'berth', 'cgroup.subtree_control'), 'utf8'), '+cpuset +cpu +io +memory +pids');
  assert.is(read('memory.max'), String(64 << 20));
  assert.is(read('memory.swap.max'), String(32 << 20));
  assert.is(read('memory.low'), String(32 << 20));
  assert.is(read('cpu.max'), '50000 100000');
  assert.is(read('cpu.weight'), String(sharesToWeight(512)));
  assert.is(read('cpuset.cpus'), '0');
  assert.is(read('pids.max'), '20');
  assert.equal(p.joinFiles, [join(leaf, 'cgroup.procs')]);
  assert.is(p.v2Dir, leaf);
  assert.is(p.oomFile, join(leaf, 'memory.events'));
  assert.ok(p.enforcesDevices);
  assert.is(p.deviceFilterDir, leaf);
});
test('hugetlb listed in a hybrid unified root is not a reason to refuse', () => {
  const root = fakeRoot('hugetlb');
  assert.not.throws(() => cgroupManager(root).ensure('c2', {}, { privileged: false }));
});
test('usage and freeze read/write the v2 files', async () => {
  const root = fakeRoot('memory pids cpu');
  const m = cgroupManager(root);
  m.ensure('c3', { memory: 1000 }, { privileged: false });
  const leaf = join(root, 'berth', 'c3');
  writeFileSync(join(leaf, 'memory.current'), '500');
  writeFileSync(join(leaf, 'cpu.stat'), 'usage_usec 2000\nuser_usec 1\n');
  writeFileSync(join(leaf, 'pids.current'), '3');
  assert.equal(m.usage('c3'), { memoryBytes: 500, memoryLimitBytes: 1000, cpuNanos: 2_000_000, pids: 3 });
  await m.setFrozen('c3', true);
  assert.ok(m.isFrozen('c3'));
  await m.remove('c3').catch(() => undefined); // a fake dir holds files, rmdir fails: fine here
  assert.ok(existsSync(leaf) || !existsSync(leaf));
});
test('shares to weight as runc converts them', () => {
  assert.is(sharesToWeight(2), 1);
  assert.is(sharesToWeight(1024), 39);
  assert.is(sharesToWeight(262144), 10000);
});
test.run();
