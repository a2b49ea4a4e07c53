// primeCgroupAttach against a fake cgroupfs root (the root path is the seam).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { primeCgroupAttach } from '../../../src/runtime/cgroups/prime.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
    const release = primeCgroupAttach(fake.root, 5000);
    await sleep(20);
    assert.is(readFileSync(fake.procs, 'utf8'), String(process.pid));
    release();
    release(); // idempotent
    await sleep(10);
    writeFileSync(fake.procs, '');
    await sleep(20);
    assert.is(readFileSync(fake.procs, 'utf8'), '', 'stopped after release');
  } finally {
    rmSync(fake.root, { recursive: true, force: true });
  }
});

test('v1: stops by itself at the deadline', async () => {
  const fake = fakeV1();
  if (!fake) return;
  try {
    primeCgroupAttach(fake.root, 10);
    await sleep(40);
    writeFileSync(fake.procs, '');
    await sleep(20);
    assert.is(readFileSync(fake.procs, 'utf8'), '');
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
