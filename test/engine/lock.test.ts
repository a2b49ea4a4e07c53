import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, existsSync, rmSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { lockProject } from '../../src/engine/lock.js';
import { withLock } from '../../src/network/lock.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-lock-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('lock, release, lock again', async () => {
  const l = await lockProject(dir, 'p');
  assert.ok(existsSync(l.path));
  l.release();
  assert.not.ok(existsSync(l.path));
  assert.not.ok(existsSync(dir), 'an empty project dir goes with the lock');
  (await lockProject(dir, 'p')).release();
});

test('a live owner makes the second wait then fail clearly', async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 30000)'], { stdio: 'ignore' });
  try {
    await new Promise((r) => child.once('spawn', r));
    const stat = (await import('node:fs')).readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lock'), `${child.pid} ${start}\n`);
    let waited = 0;
    const err = await lockProject(dir, 'p', { timeoutMs: 200, onWait: (pid) => (waited = pid) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.match(String((err as Error).message), /project p is being changed by another berth process/);
    assert.is(waited, child.pid);
  } finally {
    child.kill('SIGKILL');
    rmSync(join(dir, 'lock'), { force: true });
  }
});

test('a dead owner (SIGKILLed berth) is taken over', async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lock'), `999999 12345\n`);
  const l = await lockProject(dir, 'p', { timeoutMs: 200 });
  l.release();
});

test('an empty lock (its maker killed between create and write) is stale once a moment old, not before', async () => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'lock');
  writeFileSync(path, '');
  // fresh: being written this very moment, so it is waited for
  const err = await lockProject(dir, 'p', { timeoutMs: 100 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.match(String((err as Error).message), /being changed by another berth process \(pid unknown\)/);
  const old = new Date(Date.now() - 5000);
  utimesSync(path, old, old);
  (await lockProject(dir, 'p', { timeoutMs: 200 })).release();
});

test('network locks: an empty lock file a moment old is broken, a fresh one waited for', async () => {
  const path = join(dir, 'net.lock');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, '');
  const old = new Date(Date.now() - 5000);
  utimesSync(path, old, old);
  assert.is(await withLock(path, () => 'ran'), 'ran');
});

test.run();
