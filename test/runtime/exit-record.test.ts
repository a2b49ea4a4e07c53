// Between a container's init ending and its shim writing the exit record (a few ms; much
// longer on a loaded machine), what any process sees: the state stays running and a wait
// keeps waiting, so the exit code never depends on how long the shim takes. Before the fix
// the state said exited -1 in that window (`up --abort-on-container-failure` exited 255
// instead of 3) and a wait gave -1 after a 200 ms grace.
// Root-free: a stand-in shim is a child process; time moves on a fake clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitContainer } from '../../src/runtime/wait.js';
import { containerStateSync } from '../../src/runtime/state.js';
import { containerPaths } from '../../src/runtime/layout.js';
import { pidStartTime } from '../../src/runtime/store.js';
import type { RuntimeContext } from '../../src/runtime/types.js';
import { FakeClock } from '../helpers/clock.js';

const base = mkdtempSync(join(tmpdir(), 'berth-test-wait-'));
const rt: RuntimeContext = { root: join(base, 'root'), run: join(base, 'run'), shimPath: '/nonexistent', cgroupRoot: '/nonexistent' };
const shims: ChildProcess[] = [];
test.after(() => {
  for (const s of shims) s.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

/** A container whose init has ended while its (stand-in) shim still runs. */
function ended(id: string): { shim: ChildProcess; writeExit(code: number): void } {
  const shim = spawn('sleep', ['1000'], { stdio: 'ignore' });
  shims.push(shim);
  const paths = containerPaths(rt, id);
  mkdirSync(paths.dir, { recursive: true });
  const init = spawnSync('true').pid; // ended and reaped
  const config = { name: id, process: { args: ['true'] }, labels: {} };
  writeFileSync(paths.config, JSON.stringify({ config, caps: [], env: [], cloneFlags: 0, cgroupRoot: base, createdAt: new Date().toISOString() }));
  writeFileSync(paths.state, JSON.stringify({ pid: init, pidStart: pidStartTime(shim.pid!), shimPid: shim.pid, startedAt: new Date().toISOString() }));
  return {
    shim,
    writeExit: (code) => writeFileSync(paths.exit, JSON.stringify({ exitCode: code, signal: 0, oomKilled: false, finishedAt: new Date().toISOString() })),
  };
}

test('the state: running (no pid) while the shim records the exit, then exited with its code', () => {
  const c = ended('state');
  const st = containerStateSync(rt, 'state');
  assert.is(st?.status, 'running');
  assert.is(st?.pid, 0, 'no pid to signal: the init is gone');
  assert.is(st?.exitCode, undefined);
  c.writeExit(3);
  assert.is(containerStateSync(rt, 'state')?.status, 'exited');
  assert.is(containerStateSync(rt, 'state')?.exitCode, 3);
});

test('the state: a shim gone without a record is exited with an unknown code (-1)', async () => {
  const c = ended('lost');
  await new Promise((r) => c.shim.once('exit', r).kill('SIGKILL'));
  assert.is(containerStateSync(rt, 'lost')?.status, 'exited');
  assert.is(containerStateSync(rt, 'lost')?.exitCode, -1);
});

test('a record the shim writes long after its init ended still gives the exit code', async () => {
  const c = ended('late');
  const clock = new FakeClock();
  let settled = false;
  const waited = waitContainer(rt, 'late', { clock }).finally(() => (settled = true));
  await clock.advance(60_000); // a minute of a loaded machine: the shim has not written it yet
  assert.not.ok(settled, 'still waiting for the record while the shim runs');
  c.writeExit(3);
  await clock.advance(100);
  assert.is((await waited).exitCode, 3);
});

test('a shim gone without a record: the exit is unknown (-1), once the shim is gone', async () => {
  const c = ended('crashed');
  const clock = new FakeClock();
  let settled = false;
  const waited = waitContainer(rt, 'crashed', { clock }).finally(() => (settled = true));
  await clock.advance(1_000);
  assert.not.ok(settled);
  await new Promise((r) => c.shim.once('exit', r).kill('SIGKILL'));
  await clock.advance(100);
  assert.is((await waited).exitCode, -1);
});

test('a timed-out wait stops watching (no poll left behind)', async () => {
  ended('slow');
  const clock = new FakeClock();
  const err = await waitContainer(rt, 'slow', { clock, timeoutMs: 1 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.match(String(err), /did not exit within 1 ms/);
  await clock.advance(0);
  assert.is(clock.sleepers, 0);
});

test.run();
