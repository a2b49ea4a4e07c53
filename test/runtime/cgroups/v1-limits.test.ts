// The v1 backend's plan for compose's oom_kill_disable, mem_swappiness and blkio_config, and
// what it names as missing on a host (fake cgroupfs tree; the root path is the seam).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupManager } from '../../../src/runtime/cgroups/manager.js';

function fakeV1(files: Record<string, string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-cg1-'));
  for (const [ctrl, names] of Object.entries(files)) {
    mkdirSync(join(root, ctrl));
    for (const n of names) writeFileSync(join(root, ctrl, n), '');
  }
  return root;
}

const LIMITS = {
  oomKillDisable: true,
  memorySwappiness: 7,
  blkioWeight: 300,
  blkioReadBps: [{ device: '254:0', value: 1048576 }],
  blkioWriteIops: [{ device: '254:0', value: 120 }],
};

test('v1: memory.oom_control, memory.swappiness and the blkio throttles are planned writes', () => {
  const root = fakeV1({ memory: ['memory.oom_control', 'memory.swappiness'], blkio: ['blkio.throttle.read_bps_device', 'blkio.throttle.write_iops_device'], pids: [] });
  const plan = cgroupManager(root).plan!('c1', LIMITS, { privileged: false })!;
  const writes = plan.writes.map(([f, v]) => `${f.slice(root.length)} ${v}`);
  for (const w of [
    '/memory/berth/c1/memory.oom_control 1',
    '/memory/berth/c1/memory.swappiness 7',
    '/blkio/berth/c1/blkio.weight 300',
    '/blkio/berth/c1/blkio.throttle.read_bps_device 254:0 1048576',
    '/blkio/berth/c1/blkio.throttle.write_iops_device 254:0 120',
  ]) {
    assert.ok(writes.includes(w), `${w} in\n${writes.join('\n')}`);
  }
});

test('v1: a joining process writes "0" to each hierarchy\'s tasks (its one thread: no global lock, no RCU grace period)', () => {
  const root = fakeV1({ memory: ['memory.oom_control'], pids: [], devices: [] });
  const m = cgroupManager(root);
  const placed = m.ensure('c1', {}, { privileged: false });
  assert.ok(placed.joinFiles.length >= 2, placed.joinFiles.join(', '));
  for (const f of placed.joinFiles) assert.match(f, new RegExp(`^${root}/[a-z]+/berth/c1/tasks$`));
  assert.is(m.shimGroup(), undefined); // no cpu hierarchy here
});
test('v1: a file the host lacks (blkio.weight without BFQ) is named, the others are not', () => {
  const root = fakeV1({ memory: ['memory.oom_control', 'memory.swappiness'], blkio: ['blkio.throttle.read_bps_device', 'blkio.throttle.write_iops_device'] });
  assert.equal(cgroupManager(root).unsupported(LIMITS), ['blkio.weight']);
  assert.equal(cgroupManager(root).unsupported({ memory: 1 }), []);
});

test('v2: oom_kill_disable and swappiness have no file; io.max needs the io controller', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-cg2-'));
  writeFileSync(join(root, 'cgroup.controllers'), 'memory pids');
  assert.equal(cgroupManager(root).unsupported(LIMITS), ['memory.oom_control (cgroup v1 only)', 'memory.swappiness (cgroup v1 only)', 'io.weight', 'io.max']);
});

test.run();
