// The shims' shared cgroup (`berth/berth-shims`): where v1 and v2 plan it, and its removal
// (only once empty, then berth's parent once that is empty; missing = done), on fake cgroupfs
// trees (the root path is the seam; rmdir of an empty dir behaves as on cgroupfs).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupManager } from '../../../src/runtime/cgroups/manager.js';
import { containerId } from '../../../src/runtime/context.js';

function fakeV1(ctrls: string[], links: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-cgs1-'));
  for (const c of ctrls) mkdirSync(join(root, c));
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(root, name));
  return root;
}

function fakeV2(): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-cgs2-'));
  writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids');
  writeFileSync(join(root, 'cgroup.subtree_control'), '');
  return root;
}

test('v1: the group is in the cpu hierarchy only, the way back is its root', () => {
  const root = fakeV1(['cpu', 'cpuacct', 'memory', 'pids']);
  assert.equal(cgroupManager(root).shimGroup(), {
    parent: join(root, 'cpu', 'berth'),
    dir: join(root, 'cpu', 'berth', 'berth-shims'),
    // "0" to tasks: the shim's one thread, without v1's global lock (shim_group.c)
    join: join(root, 'cpu', 'berth', 'berth-shims', 'tasks'),
    leave: join(root, 'cpu', 'tasks'),
  });
});
test('v1: cpu,cpuacct co-mounted (cpu a link to it): the real dir', () => {
  const root = fakeV1(['cpu,cpuacct', 'memory'], { cpu: 'cpu,cpuacct', cpuacct: 'cpu,cpuacct' });
  assert.is(cgroupManager(root).shimGroup()?.dir, join(root, 'cpu,cpuacct', 'berth', 'berth-shims'));
});
test('v1 without a cpu hierarchy: no group (the shim is told none); removing it is a no-op', () => {
  const m = cgroupManager(fakeV1(['memory', 'pids']));
  assert.is(m.shimGroup(), undefined);
  assert.not.throws(() => m.removeShimGroup());
});
test('v2: a leaf beside the containers under berth/ (which holds no process itself)', () => {
  const root = fakeV2();
  assert.equal(cgroupManager(root).shimGroup(), {
    parent: join(root, 'berth'),
    dir: join(root, 'berth', 'berth-shims'),
    join: join(root, 'berth', 'berth-shims', 'cgroup.procs'),
    leave: join(root, 'cgroup.procs'),
  });
});
test('v2: the containers and the shims share berth/, whose controllers stay enabled for both', () => {
  const root = fakeV2();
  const m = cgroupManager(root);
  m.ensure('c1', {}, { privileged: false });
  const g = m.shimGroup()!;
  mkdirSync(g.dir); // as the shim makes it
  assert.is(m.placement('c1').v2Dir, join(root, 'berth', 'c1'));
  assert.ok(existsSync(g.dir));
});
for (const [name, make] of [
  ['v1', () => fakeV1(['cpu', 'memory'])],
  ['v2', fakeV2],
] as const) {
  test(`${name}: remove takes the empty group, then berth's parent once nothing else is in it`, () => {
    const m = cgroupManager(make());
    const g = m.shimGroup()!;
    mkdirSync(g.dir, { recursive: true });
    m.removeShimGroup();
    assert.not.ok(existsSync(g.dir));
    assert.not.ok(existsSync(g.parent));
  });
  test(`${name}: remove keeps a group in use, and berth's parent while a container's cgroup is in it`, () => {
    const m = cgroupManager(make());
    const g = m.shimGroup()!;
    mkdirSync(join(g.dir, 'busy'), { recursive: true }); // a dir in it stands for its shims (EBUSY on cgroupfs)
    mkdirSync(join(g.parent, 'c1'));
    m.removeShimGroup();
    m.removeShimGroup();
    assert.ok(existsSync(g.dir), 'in use: kept');
    rmdirSync(join(g.dir, 'busy'));
    m.removeShimGroup();
    assert.not.ok(existsSync(g.dir), 'empty: removed');
    assert.ok(existsSync(join(g.parent, 'c1')), "berth's parent stays with a container in it");
  });
  test(`${name}: remove with nothing there is done`, () => {
    const m = cgroupManager(make());
    assert.not.throws(() => m.removeShimGroup());
    assert.not.ok(existsSync(m.shimGroup()!.parent));
  });
}
test("no container may take the group's name (its cgroup would be the group)", () => {
  assert.throws(() => containerId('berth-shims'), /reserved/);
  assert.not.throws(() => containerId('berth-shims-1'));
});

test.run();
