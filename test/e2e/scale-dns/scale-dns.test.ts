import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childProcesses, skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, poll, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e scale-dns')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  test('scale 3: PROJECT-SERVICE-N names; the service name resolves to every replica', async () => {
    s = await makeStack('scale-dns');
    const up = await s.berth(['up', '-d', '--scale', 'web=3']);
    assert.is(up.code, 0, up.err);
    const ps = await s.berth(['ps', '--format', 'json']);
    const names = (JSON.parse(ps.out) as { name: string }[]).map((r) => r.name).sort();
    assert.equal(names, [`${s.project}-client-1`, `${s.project}-web-1`, `${s.project}-web-2`, `${s.project}-web-3`]);
    const addrs = await poll('three A records for web', async () => {
      const r = await s!.berth(['exec', 'client', 'nslookup', 'web']);
      const found = [...r.out.matchAll(/Address(?: \d+)?:\s+(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!).filter((a) => !a.endsWith('.1'));
      return new Set(found).size >= 3 ? new Set(found) : undefined;
    });
    assert.is(addrs.size, 3);
    // the supervisor serves DNS without a netlink relay (berth-net) beside it: no child process
    const supervisor = Number(readFileSync(join(s.roots.root, 'projects', s.project, 'supervisor.pid'), 'utf8').split(' ')[0]);
    assert.equal(childProcesses(supervisor), [], 'the supervisor has no child process');
    // round robin: the order of the answer rotates from one query to the next
    const firsts = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await s.berth(['exec', 'client', 'nslookup', 'web']);
      const found = [...r.out.matchAll(/Address(?: \d+)?:\s+(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!).filter((a) => addrs.has(a));
      if (found[0]) firsts.add(found[0]);
    }
    assert.ok(firsts.size >= 2, `first answer rotates: ${[...firsts].join(', ')}`);
    // and each resolved address is a different replica
    const hosts = new Set<string>();
    for (const a of addrs) {
      const r = await s.berth(['exec', 'client', 'wget', '-q', '-O', '-', `http://${a}/`]);
      hosts.add(r.out.trim());
    }
    assert.equal([...hosts].sort(), [`${s.project}-web-1`, `${s.project}-web-2`, `${s.project}-web-3`]);
    // /etc/hosts names the container's own address (Docker's `<ip>\t<hostname>`)
    const etcHosts = await s.berth(['exec', 'web', 'cat', '/etc/hosts']);
    assert.is(etcHosts.code, 0, etcHosts.err);
    const own = /inet (\d+\.\d+\.\d+\.\d+)/.exec((await s.berth(['exec', 'web', 'ip', '-4', 'addr', 'show', 'eth0'])).out)?.[1];
    assert.ok(own && addrs.has(own), `eth0 address ${own}`);
    assert.ok(etcHosts.out.split('\n').includes(`${own}\t${s.project}-web-1`), etcHosts.out);
    assert.not.match(etcHosts.out, /127\.0\.1\.1/);
    assert.ok(etcHosts.out.split('\n').includes('192.0.2.10\tdb.example'), `extra_hosts in /etc/hosts:\n${etcHosts.out}`);
    // host-gateway is the network's gateway (the host's address on the bridge), as Docker's
    const gateway = /default via (\d+\.\d+\.\d+\.\d+)/.exec((await s.berth(['exec', 'web', 'ip', 'route'])).out)?.[1];
    assert.ok(gateway, 'the container has a default route');
    assert.ok(etcHosts.out.split('\n').includes(`${gateway}\thost.docker.internal`), `host-gateway in /etc/hosts:\n${etcHosts.out}`);
    assert.not.match(etcHosts.out, /host-gateway/);
    const down = await s.berth(['up', '-d', '--scale', 'web=1']);
    assert.is(down.code, 0, down.err);
    const ps1 = await s.berth(['ps', '--format', 'json']);
    assert.is((JSON.parse(ps1.out) as unknown[]).length, 2);
    assert.is((await s.berth(['down'])).code, 0);
  });

  test.run();
}
