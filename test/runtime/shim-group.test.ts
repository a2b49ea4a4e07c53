// The shims' shared cgroup for real (cgroup v1 here: the cpu hierarchy; cgroup v2 where the
// host has a cgroup2 hierarchy, on this hybrid host /sys/fs/cgroup/unified): a running
// container's shim is in `berth/berth-shims`, its container is not, and the group is gone
// once the last container is removed, also when containers start and go concurrently (racing
// creators and removers) and when a detached --rm container's shim removes it itself.
// The group is shared by every stack on the host: "gone" means gone or held only by shims
// that are not this test's (another test may run beside this one).
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer, startContainer } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { killContainer } from '../../src/runtime/kill.js';
import { waitContainer } from '../../src/runtime/wait.js';
import { cgroupManager } from '../../src/runtime/cgroups/manager.js';
import { readStoredState } from '../../src/runtime/store.js';
import { containerPaths } from '../../src/runtime/layout.js';
import { handles } from '../../src/runtime/handles.js';

const test = Object.assign(safeTest(uvuTest), { run: uvuTest.run });

const v2root = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'].find((c) => existsSync(join(c, 'cgroup.controllers')));
const hierarchies: [string, Record<string, string>, string][] = [];
if (!existsSync('/sys/fs/cgroup/cgroup.controllers')) hierarchies.push(['v1', {}, 'cpu']); // the cpu line of /proc/PID/cgroup
if (v2root) hierarchies.push(['v2', { BERTH_CGROUP_ROOT: v2root }, '']); // the 0:: line

/** The path of `pid`'s cgroup in the hierarchy whose /proc/PID/cgroup controller field is `ctrl`. */
function cgroupOf(pid: number, ctrl: string): string | undefined {
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const [, ctrls, path] = line.split(':');
    if ((ctrls !== undefined && ctrls.split(',').includes(ctrl)) || (ctrl === '' && ctrls === '')) return path;
  }
  return undefined;
}

if (!skipUnlessKernel('runtime shim group')) {
  for (const [name, env, ctrl] of hierarchies) {
    let h!: Harness;
    const sleeper = async (autoRemove = false): Promise<{ id: string; shim: number; init: number }> => {
      const id = h.nextId();
      await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, autoRemove, process: { args: ['sleep', '1000'] } });
      await startContainer(h.rt, id);
      const st = readStoredState(containerPaths(h.rt, id).state)!;
      return { id, shim: st.shimPid!, init: st.pid };
    };
    const stop = async (id: string): Promise<void> => {
      await killContainer(h.rt, id, 'SIGKILL').catch(() => undefined);
      await waitContainer(h.rt, id, { timeoutMs: 10_000 }).catch(() => undefined);
    };
    const group = (): string => cgroupManager(h.rt.cgroupRoot).shimGroup()!.dir;
    /** Gone, or held only by shims of other tests (none of ours: their config is under our run dir). */
    const goneForUs = (): boolean => {
      if (!existsSync(group())) return true;
      const pids = readFileSync(join(group(), 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
      return pids.length > 0 && !pids.some((p) => (existsSync(`/proc/${p}/cmdline`) ? readFileSync(`/proc/${p}/cmdline`, 'utf8') : '').includes(h.roots.run));
    };

    test(`${name}: setup`, () => {
      h = makeHarness(`shg${name}`, env);
    });
    test(`${name}: a running container's shim is in berth/berth-shims, the container in its own cgroup`, async () => {
      const c = await sleeper();
      try {
        assert.is(cgroupOf(c.shim, ctrl), '/berth/berth-shims');
        assert.is.not(cgroupOf(c.init, ctrl), '/berth/berth-shims');
        if (name === 'v2') assert.is(cgroupOf(c.init, ctrl), `/berth/${c.id}`);
        assert.ok(readFileSync(join(group(), 'cgroup.procs'), 'utf8').split('\n').includes(String(c.shim)));
      } finally {
        await stop(c.id);
        await deleteContainer(h.rt, c.id);
      }
      assert.ok(goneForUs(), `${group()} is gone after the last removal`);
    });
    test(`${name}: containers created and removed concurrently: every shim joins, the group goes with the last`, async () => {
      const first = await Promise.all([sleeper(), sleeper(), sleeper()]);
      // two go while three more come
      const [, , more] = await Promise.all([
        stop(first[0]!.id).then(() => deleteContainer(h.rt, first[0]!.id)),
        stop(first[1]!.id).then(() => deleteContainer(h.rt, first[1]!.id)),
        Promise.all([sleeper(), sleeper(), sleeper()]),
      ]);
      const alive = [first[2]!, ...more];
      for (const c of alive) assert.is(cgroupOf(c.shim, ctrl), '/berth/berth-shims', `shim of ${c.id}`);
      await Promise.all(alive.map((c) => stop(c.id).then(() => deleteContainer(h.rt, c.id))));
      assert.ok(goneForUs(), `${group()} is gone after the last removal`);
    });
    test(`${name}: a detached --rm container's shim leaves and takes the group itself`, async () => {
      const c = await sleeper(true);
      assert.is(cgroupOf(c.shim, ctrl), '/berth/berth-shims');
      await killContainer(h.rt, c.id, 'SIGKILL');
      await poll('the autoremove shim gone', () => !existsSync(`/proc/${c.shim}/cgroup`) || readFileSync(`/proc/${c.shim}/stat`, 'utf8').includes(') Z'), 10_000);
      await poll('the group gone', goneForUs, 5_000);
    });
    test(`${name}: a shim whose creator died before recording its pid is found in the group by its config`, async () => {
      const c = await sleeper();
      // as after a crash between the shim's "created" and state.json: no handle, no state
      handles.delete(c.id);
      rmSync(containerPaths(h.rt, c.id).state);
      await deleteContainer(h.rt, c.id); // its cgroup's removal kills the init; the shim then ends
      assert.not.ok(existsSync(`/proc/${c.shim}/cgroup`) && !readFileSync(`/proc/${c.shim}/stat`, 'utf8').includes(') Z'), 'the shim has ended');
      assert.ok(goneForUs(), `${group()} is gone after the removal`);
    });
    test(`${name}: nothing is left`, async () => {
      await h.teardown();
      assert.equal(findLeaks(h.roots.tag), []);
    });
  }
  test.run();
}
