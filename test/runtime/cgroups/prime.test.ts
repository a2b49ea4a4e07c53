// primeCgroupAttach against a fake cgroupfs root (the root path is the seam).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primeCgroupAttach } from '../../../src/runtime/cgroups/prime.js';
import { poll } from '../../helpers/poll.js';

/**
 * Whether this process holds `file` open. The priming writes only through the one fd it
 * opened and closes it when it stops: closed, it can never write again (no wait proves that).
 */
function holdsOpen(file: string): boolean {
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  });
}

/** A fake v1 root holding this process's own pids cgroup, as /proc/self/cgroup names it. */
function fakeV1(): { root: string; procs: string } | undefined {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1] === 'pids');
  if (!line) return undefined;
  const own = line.split(':').slice(2).join(':');
  const root = mkdtempSync(join(tmpdir(), 'berth-prime-'));
  mkdirSync(join(root, 'pids', own), { recursive: true });
  const procs = join(root, 'pids', own, 'cgroup.procs');
  writeFileSync(procs, '');
  return { root, procs };
}

test('v1: re-writes its own pid into its own cgroup until released', async () => {
  const fake = fakeV1();
  if (!fake) return console.log('# skip: no v1 pids hierarchy in /proc/self/cgroup');
  try {
    // a deadline far beyond any wait here: only the release can stop it
    const release = primeCgroupAttach(fake.root, 600_000);
    assert.ok(holdsOpen(fake.procs), 'priming');
    await poll('its own pid written', () => readFileSync(fake.procs, 'utf8') === String(process.pid));
    writeFileSync(fake.procs, '');
    await poll('its own pid written again', () => readFileSync(fake.procs, 'utf8') === String(process.pid));
    release();
    release(); // idempotent
    await poll('stopped after release (cgroup.procs closed)', () => !holdsOpen(fake.procs));
  } finally {
    rmSync(fake.root, { recursive: true, force: true });
  }
});

test('v1: stops by itself at the deadline', async () => {
  const fake = fakeV1();
  if (!fake) return;
  try {
    primeCgroupAttach(fake.root, 10); // never released
    assert.ok(holdsOpen(fake.procs), 'priming');
    await poll('stopped at the deadline (cgroup.procs closed)', () => !holdsOpen(fake.procs));
  } finally {
    rmSync(fake.root, { recursive: true, force: true });
  }
});

test('v2 or an unknown root: nothing to prime, release is harmless', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-prime2-'));
  writeFileSync(join(root, 'cgroup.controllers'), 'memory pids');
  primeCgroupAttach(root)();
  primeCgroupAttach(join(root, 'missing'))();
  rmSync(root, { recursive: true, force: true });
});

test.run();
