// The shared lock file: never visible empty, a fresh empty lock is waited for (an older one
// is broken), dead or recycled-pid owners are taken over, live owners waited for, and two
// processes never hold it at once (also not while both break the same stale lock).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { acquireLockFile, withLockFile, parseOwner, processStartTime, EMPTY_LOCK_GRACE_MS, type LockOwner } from '../../src/util/lock-file.js';
import { openImageStore, withStoreLock } from '../../src/image/store.js';
import { FakeClock } from '../helpers/clock.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-lock-file-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => join(dir, `l${n++}`, 'lock');
const timeoutError = (owner: LockOwner | undefined): Error => Object.assign(new Error(`held by ${owner?.pid ?? 'unknown'}`), { owner });
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );
const makeOld = (path: string): void => {
  const old = new Date(Date.now() - EMPTY_LOCK_GRACE_MS - 3000);
  utimesSync(path, old, old);
};
const sleeper = async (): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 30000)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  return child;
};
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid ?? 999999;
};

test('the lock holds our pid and start time and goes on release; the directory is made', async () => {
  const path = fresh();
  const l = await acquireLockFile(path, { timeoutError });
  assert.equal(parseOwner(readFileSync(path, 'utf8')), { pid: process.pid, startTime: processStartTime(process.pid) });
  l.release();
  l.release();
  assert.equal(readdirSync(join(path, '..')), [], 'no lock, temp or stale file left');
});

test('a fresh EMPTY lock (its maker is between create and write) is not taken over', async () => {
  const path = fresh();
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  // on a fake clock that starts at the lock's birth: a wait up to just short of the grace
  // period (many looks at the lock) ends in the timeout, never in taking the lock
  const clock = new FakeClock(statSync(path).mtimeMs);
  const pending = failure(acquireLockFile(path, { timeoutMs: EMPTY_LOCK_GRACE_MS - 50, pollMs: 5, timeoutError, clock }));
  await clock.advance(EMPTY_LOCK_GRACE_MS - 40);
  assert.match(String(await pending), /held by unknown/);
  assert.is(readFileSync(path, 'utf8'), '', 'the maker keeps its lock');
});

test('an empty lock older than the grace period is broken', async () => {
  const path = fresh();
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  makeOld(path);
  (await acquireLockFile(path, { timeoutMs: 0, timeoutError })).release();
});

test('a dead owner is taken over; so is a live pid with another start time (a recycled pid)', async () => {
  const path = fresh();
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${await deadPid()} 12345\n`);
  (await acquireLockFile(path, { timeoutMs: 0, timeoutError })).release();
  writeFileSync(path, `${process.pid} 1\n`);
  (await acquireLockFile(path, { timeoutMs: 0, timeoutError })).release();
});

test('a live owner is waited for (onWait once), then the timeout error names it', async () => {
  const path = fresh();
  const child = await sleeper();
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${child.pid} ${processStartTime(child.pid ?? 0)}\n`);
    const waited: number[] = [];
    const err = await failure(acquireLockFile(path, { timeoutMs: 150, pollMs: 10, onWait: (o) => waited.push(o.pid), timeoutError }));
    assert.match(String(err), new RegExp(`held by ${child.pid}`));
    assert.equal(waited, [child.pid]);
    // a pid-only owner line (older berths) counts as live too
    writeFileSync(path, `${child.pid}`);
    assert.match(String(await failure(acquireLockFile(path, { timeoutMs: 0, timeoutError }))), /held by/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('the wait ends with the abort reason', async () => {
  const path = fresh();
  const child = await sleeper();
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${child.pid} ${processStartTime(child.pid ?? 0)}\n`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 50);
    assert.match(String(await failure(acquireLockFile(path, { signal: ac.signal, timeoutError }))), /stop/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('our own pid: waited for by default, taken over with ownPidIsStale', async () => {
  const path = fresh();
  const held = await acquireLockFile(path, { timeoutError });
  assert.ok(await failure(acquireLockFile(path, { timeoutMs: 0, timeoutError })));
  (await acquireLockFile(path, { timeoutMs: 0, ownPidIsStale: true, timeoutError })).release();
  held.release();
});

test('concurrent holders in one process run one at a time', async () => {
  const path = fresh();
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 8 }, () =>
      withLockFile(path, { pollMs: 1, timeoutError }, async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 3));
        inside--;
      }),
    ),
  );
  assert.is(most, 1);
});

test('processes racing for a lock left by a dead owner never hold it together', async () => {
  const path = fresh();
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${await deadPid()} 1\n`);
  const counter = join(path, '..', 'counter');
  writeFileSync(counter, '0');
  const mod = pathToFileURL(join(import.meta.dirname, '../../src/util/lock-file.js')).href;
  const script = `
    const { withLockFile } = await import(${JSON.stringify(mod)});
    const fs = await import('node:fs');
    for (let i = 0; i < 25; i++) {
      await withLockFile(${JSON.stringify(path)}, { pollMs: 1, timeoutError: () => new Error('timeout') }, async () => {
        const v = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8'));
        await new Promise((r) => setTimeout(r, 1));
        fs.writeFileSync(${JSON.stringify(counter)}, String(v + 1));
      });
    }`;
  const codes = await Promise.all(
    Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
      return new Promise<number | null>((r) => child.once('exit', r));
    }),
  );
  assert.equal(codes, [0, 0, 0]);
  assert.is(readFileSync(counter, 'utf8'), '75', 'no increment lost');
  assert.equal(readdirSync(join(path, '..')), ['counter'], 'no lock, temp or stale file left');
});

test('image store: a fresh empty lock is waited for, not stolen (two pulls never write at once)', async () => {
  const s = openImageStore(join(dir, 'store'));
  const path = join(s.root, 'lock');
  writeFileSync(path, '');
  let ran = false;
  const clock = new FakeClock(statSync(path).mtimeMs);
  const pending = withStoreLock(
    s,
    () => {
      ran = true;
    },
    clock,
  );
  await clock.advance(EMPTY_LOCK_GRACE_MS - 10); // looked at every 5 ms of it
  assert.not.ok(ran, 'the store lock was taken from a maker still writing its pid');
  rmSync(path);
  await clock.advance(5);
  await pending;
  assert.ok(ran);
  writeFileSync(path, '');
  makeOld(path);
  assert.is(await withStoreLock(s, () => 'ran'), 'ran', 'an old empty lock is broken');
});

test.run();
