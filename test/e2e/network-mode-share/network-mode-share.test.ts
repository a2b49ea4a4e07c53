import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipUnlessKernel } from '../../helpers/kernel.js';
import { makeStack, stopRegistry, type Stack } from '../harness.js';

if (!skipUnlessKernel('e2e network-mode-share')) {
  let s: Stack | undefined;
  test.after(async () => {
    const leaks = (await s?.teardown()) ?? [];
    await stopRegistry();
    assert.equal(leaks, [], 'nothing left behind');
  });

  const sh = async (service: string, script: string): Promise<string> => {
    const r = await s!.berth(['exec', '-T', service, 'sh', '-c', script]);
    assert.is(r.code, 0, `${service}: ${script}: ${r.err}`);
    return r.out;
  };

  test("service:X and container:NAME see X's /etc/hosts, /etc/hostname, /etc/resolv.conf and hostname", async () => {
    s = await makeStack('network-mode-share');
    s.env.MAIN_CONTAINER = `${s.project}-main-1`;
    const up = await s.berth(['up', '-d']);
    assert.is(up.code, 0, up.err);
    const files = 'cat /etc/hosts; echo ---; cat /etc/hostname; echo ---; cat /etc/resolv.conf; echo ---; hostname';
    const main = await sh('main', files);
    assert.match(main, /10\.9\.8\.7\tshared-extra/);
    assert.match(main, /share\.example/);
    assert.match(main, /---\nmainhost\n$/);
    assert.is(await sh('side', files), main, 'service:main');
    assert.is(await sh('byname', files), main, 'container:NAME');
    // the same files, not copies: berth rewriting main's /etc/hosts (its init layer, as at
    // the sync point) shows in side and byname too
    const ps = await s.berth(['ps', '--format', 'json']);
    const mainId = (JSON.parse(ps.out) as { service: string; id: string }[]).find((r) => r.service === 'main')!.id;
    appendFileSync(join(s.roots.root, 'containers', mainId, 'init', 'etc', 'hosts'), '10.1.1.1\tlater-added\n');
    for (const svc of ['main', 'side', 'byname']) assert.match(await sh(svc, 'cat /etc/hosts'), /10\.1\.1\.1\tlater-added/, svc);
    const mounts = await sh('side', 'grep -E " /etc/(hosts|hostname|resolv.conf) " /proc/self/mounts | wc -l');
    assert.is(mounts.trim(), '3', 'bind-mounted from main');
    const down = await s.berth(['down', '-t', '1']);
    assert.is(down.code, 0, down.err);
  });

  test.run();
}
