// stop and the kernel's rule for signals to a pid namespace's init: a pid 1 without a handler
// for the stop signal is killed at once (it could never hear the signal); one with a handler
// keeps its grace period and exits as it chooses. Ends asserting nothing of berth's is left.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, skipUnlessKernel } from '../helpers/kernel.js';
import { poll } from '../helpers/poll.js';
import { makeHarness, safeTest, type Harness } from './harness.js';
import { createContainer, startContainer } from '../../src/runtime/create.js';
import { deleteContainer } from '../../src/runtime/delete.js';
import { stopContainer } from '../../src/runtime/kill.js';
import { inSigtimedwait, initHearsSignal } from '../../src/runtime/signal-heard.js';
import { containerState } from '../../src/runtime/state.js';
import type { ContainerConfig, StopOutcome } from '../../src/runtime/types.js';

const test = Object.assign(safeTest(uvuTest), { before: uvuTest.before, after: uvuTest.after, run: uvuTest.run });

/** A shell that handles SIGTERM: 2 s of clean-up, then exit 0. */
const HANDLES_TERM = 'trap "sleep 2; exit 0" TERM; while :; do sleep 0.1; done';

if (!skipUnlessKernel('stop signals', () => (existsSync(join(import.meta.dirname, '..', '..', '..', 'native', 'build', 'berth-shim')) ? undefined : 'shim not built'))) {
  let h!: Harness;
  test.before(() => {
    h = makeHarness('stopsig');
  });
  test.after(async () => {
    await h.teardown();
  });

  /** Runs `args` as pid 1, waits until `ready(pid)` holds, stops it; returns the outcome and exit code. */
  const runAndStop = async (args: string[], extra: Partial<ContainerConfig>, ready: (pid: number) => boolean): Promise<{ outcome: StopOutcome; exitCode: number | undefined }> => {
    const id = h.nextId();
    await createContainer(h.rt, { id, rootfs: { dir: h.rootfs }, ...extra, process: { args } });
    try {
      await startContainer(h.rt, id);
      const pid = (await containerState(h.rt, id))!.pid;
      await poll(`container ${id} ready`, () => ready(pid));
      const outcome = await stopContainer(h.rt, id, { timeoutMs: 30_000 });
      return { outcome, exitCode: (await containerState(h.rt, id))?.exitCode };
    } finally {
      await deleteContainer(h.rt, id, { force: true });
    }
  };
  const caught = (pid: number, signal: number): boolean => initHearsSignal(readFileSync(`/proc/${pid}/status`, 'utf8'), signal);
  const execd = (pid: number): boolean => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep';

  test('a pid 1 without a SIGTERM handler is killed at once, not after the 30 s grace', async () => {
    const r = await runAndStop(['sleep', '1000'], {}, execd);
    assert.is(r.outcome, 'killed-at-once');
    assert.is(r.exitCode, 137);
  });
  test('a pid 1 whose SIGTERM handler takes 2 s gets its grace and exits 0', async () => {
    const r = await runAndStop(['sh', '-c', HANDLES_TERM], {}, (pid) => caught(pid, 15));
    assert.is(r.outcome, 'stopped');
    assert.is(r.exitCode, 0);
  });
  test('stop_signal counts: a handler for SIGTERM does not help when the stop signal is SIGUSR1', async () => {
    const r = await runAndStop(['sh', '-c', HANDLES_TERM], { stopSignal: 'SIGUSR1' }, (pid) => caught(pid, 15));
    assert.is(r.outcome, 'killed-at-once');
    assert.is(r.exitCode, 137);
  });
  test('with init: true the init forwards SIGTERM: no kill at once', async () => {
    const r = await runAndStop(['sleep', '1000'], { init: true }, (pid) => inSigtimedwait(readFileSync(`/proc/${pid}/syscall`, 'utf8'), ''));
    assert.is(r.outcome, 'stopped');
  });
  test('nothing of berth is left on the host', async () => {
    await h.teardown();
    assert.equal(findLeaks(h.roots.tag), []);
    assert.equal(findLeaks(h.roots.root), []);
  });
  test.run();
}
