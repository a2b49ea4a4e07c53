import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLeaks, hostProcesses, skipUnlessKernel, statusField } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

const BB = '/bin/busybox-x';
const DEFAULT_CAPEFF = '00000000a80425fb';

if (!skipUnlessKernel('e2e exec-modes')) {
  let s: Stack | undefined;
  const st = (): Stack => s!;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('up -d --build: an image with no shell', async () => {
    s = await makeStack('exec-modes');
    mkdirSync(join(s.dir, 'bare'), { recursive: true });
    copyFileSync('/bin/busybox', join(s.dir, 'bare', 'busybox-x'));
    const up = await s.berth(['up', '-d', '--build'], { timeoutMs: 120_000 });
    assert.is(up.code, 0, up.err);
    const sh = await s.berth(['exec', '-T', 'bare', BB, 'test', '-e', '/bin/sh']);
    assert.is(sh.code, 1, 'no /bin/sh in the image');
  });

  test('exec -d without /bin/sh: the command runs in the background, exec returns 0 at once', async () => {
    const r = await st().berth(['exec', '-d', 'bare', BB, 'touch', '/made']);
    assert.is(r.code, 0, r.err);
    assert.is(r.out, '', 'the output goes nowhere');
    await poll('the detached command made its file', async () => (await st().berth(['exec', '-T', 'bare', BB, 'test', '-e', '/made'])).code === 0);
    const t0 = Date.now();
    const long = await st().berth(['exec', '-d', 'bare', BB, 'sleep', '4242']);
    assert.is(long.code, 0, long.err);
    assert.ok(Date.now() - t0 < 10_000, 'exec -d did not wait for the command');
    const ps = await poll('the detached sleep runs in the container', async () => {
      const p = await st().berth(['exec', '-T', 'bare', BB, 'ps', '-o', 'pid,ppid,stat,args']);
      return p.out.includes('sleep 4242') ? p.out : undefined;
    });
    assert.not.match(ps, /\sZ\s/, `no zombie (the touch was reaped although pid 1 reaps nobody):\n${ps}`);
    const missing = await st().berth(['exec', '-d', 'bare', 'no-such-command']);
    assert.is(missing.code, 1);
    // the container named once, as attached exec's errors do
    assert.match(missing.err, /^berth: container \S+-bare-1-[0-9a-f]+: cannot start "no-such-command": executable file not found in \$PATH\n$/, missing.err);
  });

  test('exec --privileged in a container that is not privileged: every capability, no seccomp, for that process only', async () => {
    const priv = await st().berth(['exec', '-T', '--privileged', 'bare', BB, 'cat', '/proc/self/status']);
    assert.is(priv.code, 0, priv.err);
    const bounding = BigInt(`0x${statusField(readFileSync('/proc/self/status', 'utf8'), 'CapBnd')}`);
    const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
    assert.is(statusField(priv.out, 'CapEff'), (((1n << BigInt(last + 1)) - 1n) & bounding).toString(16).padStart(16, '0'));
    assert.is(statusField(priv.out, 'CapBnd'), statusField(priv.out, 'CapEff'));
    assert.is(statusField(priv.out, 'Seccomp'), '0');
    const pid1 = await st().berth(['exec', '-T', 'bare', BB, 'cat', '/proc/1/status']);
    assert.is(statusField(pid1.out, 'CapEff'), DEFAULT_CAPEFF, 'pid 1 keeps the default set');
    assert.is(statusField(pid1.out, 'Seccomp'), '2');
    const plain = await st().berth(['exec', '-T', 'bare', BB, 'cat', '/proc/self/status']);
    assert.is(statusField(plain.out, 'CapEff'), DEFAULT_CAPEFF);
    assert.is(statusField(plain.out, 'Seccomp'), '2');
    // the container's masked paths stay masked for it (Docker's behaviour)
    const masked = await st().berth(['exec', '-T', '--privileged', 'bare', BB, 'stat', '-c', '%t,%T', '/proc/timer_list']);
    assert.is(masked.out, '1,3\n', masked.err);
  });

  test('down leaves nothing: the detached command and its keeper go with the container', async () => {
    assert.ok(hostProcesses('sleep 4242').length === 1, 'the detached sleep still runs before down');
    const down = await st().berth(['down', '-t', '1']);
    assert.is(down.code, 0, down.err);
    await poll('the detached process is gone', () => hostProcesses('sleep 4242').length === 0);
    assert.equal([...findLeaks(st().roots.root), ...findLeaks(st().project)], []);
  });

  test.run();
}
