// holdNamespaces on the real kernel (inside a private network namespace of the test): a
// stand-in container's namespace outlives its process while held, and goes on release.
// Observed through a veth whose peer lives in it: the kernel deletes both ends when the
// namespace is torn down.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { holdNamespaces } from '../../src/network/hold-namespaces.js';
import { Netlink } from '../../src/network/netlink/netlink.js';
import { skipUnlessKernel, findLeaks } from '../helpers/kernel.js';
import { runInOwnNetns } from './netns.js';
import { poll } from '../helpers/poll.js';

if (skipUnlessKernel('network/hold-namespaces')) process.exit(0);
runInOwnNetns(import.meta.filename);

const tag = Math.floor(Math.random() * 0xfffff)
  .toString(16)
  .padStart(5, '0');

/** A process in a new network namespace with a veth to it; resolves once the veth exists. */
async function standIn(nl: Netlink, host: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn('unshare', ['-n', 'sleep', '1000'], { stdio: 'ignore' });
  const pid = child.pid!;
  const fs = process.getBuiltinModule('node:fs');
  const self = fs.readlinkSync('/proc/self/ns/net');
  await poll('the stand-in in its own namespace', () => fs.readlinkSync(`/proc/${pid}/ns/net`) !== self && fs.readlinkSync(`/proc/${pid}/exe`).endsWith('sleep'), 2000, 5);
  const ns = await nl.namespace(`/proc/${pid}/ns/net`);
  await nl.createVeth(await nl.host(), { name: host, peer: { name: 'eth0', ns } });
  await nl.closeNamespace(ns);
  return {
    pid,
    kill: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Polls (bounded) until the link is gone from the test's namespace; returns whether it went. */
async function goneWithin(nl: Netlink, name: string, ms: number): Promise<boolean> {
  const host = await nl.host();
  return poll(`link ${name} to go`, async () => !(await nl.getLink(host, name)), ms, 10).catch(() => false);
}

test('a held namespace outlives its process; released, the kernel tears it down', async () => {
  const nl = Netlink.open();
  try {
    const name = `bthh${tag}a`;
    const control = `bthh${tag}c`;
    const c = await standIn(nl, name);
    const k = await standIn(nl, control);
    const release = holdNamespaces([c.pid]);
    // the held one's process dies first, then an unheld control's. The kernel tears dead
    // namespaces down in the order they lost their last reference (one ordered work queue,
    // in batches), so once the control's veth is gone, a namespace that was not really held
    // would be gone too: no wait for time proves "it stays".
    await c.kill();
    await k.kill();
    assert.ok(await goneWithin(nl, control, 5000), 'the control veth stayed after its namespace lost its process');
    assert.ok(await nl.getLink(await nl.host(), name), 'the veth went while its namespace was held');
    release();
    assert.ok(await goneWithin(nl, name, 5000), 'the veth stayed after release');
  } finally {
    await nl.close();
  }
});

test('without a hold the namespace goes with its process; exited pids are skipped', async () => {
  const nl = Netlink.open();
  try {
    const name = `bthh${tag}b`;
    const c = await standIn(nl, name);
    await c.kill();
    assert.ok(await goneWithin(nl, name, 5000), 'the veth stayed after its namespace lost its process');
    const release = holdNamespaces([c.pid]); // gone: nothing held, no throw
    release();
    release(); // idempotent
  } finally {
    await nl.close();
  }
});

test('nothing left behind', () => {
  assert.equal(findLeaks(`bthh${tag}`), []);
});

test.run();
